//===- FuseLaunches.cpp - independent launches as one ---------------------===//
//
/// The algorithm, for each block of a function, in order:
///   1. A launch is fusable when its grid and blocks are one-dimensional and
///      no thread waits for another (no barrier, no shared memory).
///   2. What it reads and writes: the buffers of its loads and stores, each
///      as a location - the function argument it views and, for a
///      memref.view with a constant shift and a static shape, its byte
///      range (else the whole argument). Two locations overlap when they
///      have one argument and their ranges meet.
///   3. A fusable launch joins the group before it (a fused launch, or the
///      previous fusable one, with only side-effect-free ops between) when
///      its blocks have the same size and it neither reads nor writes what
///      the group writes, nor writes what the group reads: then the order
///      of the two does not matter.
///   4. Joining: one launch of both grids; block b < g1 runs the group's
///      body as block b, the others the new body as block b - g1.
/// The optimizer's update of every parameter, and other independent
/// elementwise kernels, so become one launch.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/ptx/KernelBuilder.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBFUSELAUNCHES
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

/// Step 2: a buffer's place, as precisely as it is known.
struct Place {
  Value root;
  int64_t begin = 0, end = INT64_MAX;
  bool overlaps(const Place &o) const {
    return root == o.root && begin < o.end && o.begin < end;
  }
};

Place locate(Value v) {
  if (auto view = v.getDefiningOp<memref::ViewOp>()) {
    Place source = locate(view.getSource());
    APInt shift;
    auto type = view.getType();
    if (matchPattern(view.getByteShift(), m_ConstantInt(&shift)) &&
        type.hasStaticShape() && source.begin == 0 && source.end == INT64_MAX) {
      int64_t bytes =
          type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
      return {source.root, shift.getSExtValue(), shift.getSExtValue() + bytes};
    }
    return {source.root};
  }
  Operation *def = v.getDefiningOp();
  if (hebb::ptx::keepsSourcePointer(def))
    return {locate(def->getOperand(0)).root};
  return {v};
}

struct Access {
  SmallVector<Place> reads, writes;
  bool conflicts(const Access &later) const {
    for (const Place &w : writes) {
      for (const Place &r : later.reads)
        if (w.overlaps(r))
          return true;
      for (const Place &w2 : later.writes)
        if (w.overlaps(w2))
          return true;
    }
    for (const Place &r : reads)
      for (const Place &w : later.writes)
        if (r.overlaps(w))
          return true;
    return false;
  }
};

/// Steps 1 and 2: the launch's accesses, or nothing when it is not fusable.
std::optional<Access> accesses(gpu::LaunchOp launch) {
  auto isOne = [](Value v) { return matchPattern(v, m_One()); };
  APInt size;
  if (!isOne(launch.getGridSizeY()) || !isOne(launch.getGridSizeZ()) ||
      !isOne(launch.getBlockSizeY()) || !isOne(launch.getBlockSizeZ()) ||
      !matchPattern(launch.getGridSizeX(), m_ConstantInt(&size)) ||
      !matchPattern(launch.getBlockSizeX(), m_ConstantInt(&size)))
    return std::nullopt;
  Access a;
  WalkResult walk = launch.getBody().walk([&](Operation *op) {
    if (isa<gpu::BarrierOp>(op))
      return WalkResult::interrupt();
    if (auto get = dyn_cast<memref::GetGlobalOp>(op))
      if (get.getType().getMemorySpaceAsInt() != 0)
        return WalkResult::interrupt();
    if (auto load = dyn_cast<memref::LoadOp>(op))
      a.reads.push_back(locate(load.getMemref()));
    if (auto store = dyn_cast<memref::StoreOp>(op))
      a.writes.push_back(locate(store.getMemref()));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return std::nullopt;
  return a;
}

/// Step 4: `first` and `second` as one launch, placed at `second`.
gpu::LaunchOp join(gpu::LaunchOp first, gpu::LaunchOp second) {
  OpBuilder b(second);
  Location loc = second.getLoc();
  APInt g1, g2;
  matchPattern(first.getGridSizeX(), m_ConstantInt(&g1));
  matchPattern(second.getGridSizeX(), m_ConstantInt(&g2));
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  Value total = b.create<arith::ConstantIndexOp>(loc, (g1 + g2).getSExtValue());
  auto joined = b.create<gpu::LaunchOp>(loc, total, one, one,
                                        second.getBlockSizeX(), one, one);
  Block &body = joined.getBody().front();
  b.setInsertionPointToStart(&body);
  Operation *end = b.create<gpu::TerminatorOp>(loc);
  b.setInsertionPoint(end);
  Value bid = joined.getBlockIds().x;
  Value split = b.create<arith::ConstantIndexOp>(loc, g1.getSExtValue());
  Value inFirst =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ult, bid, split);
  auto branch = b.create<scf::IfOp>(loc, inFirst, /*withElseRegion=*/true);
  auto inlineBody = [&](gpu::LaunchOp from, Block *into, Value blockId) {
    OpBuilder inner = OpBuilder::atBlockTerminator(into);
    IRMapping map;
    map.map(from.getBlockIds().x, blockId);
    Value ids[] = {from.getBlockIds().y, from.getBlockIds().z,
                   from.getThreadIds().x, from.getThreadIds().y,
                   from.getThreadIds().z};
    Value joinedIds[] = {joined.getBlockIds().y, joined.getBlockIds().z,
                         joined.getThreadIds().x, joined.getThreadIds().y,
                         joined.getThreadIds().z};
    for (auto [id, joinedId] : llvm::zip(ids, joinedIds))
      map.map(id, joinedId);
    hebb::ptx::mapLaunchSizes(map, from);
    for (Operation &op : from.getBody().front().without_terminator())
      inner.clone(op, map);
  };
  inlineBody(first, branch.thenBlock(), bid);
  OpBuilder elseB = OpBuilder::atBlockTerminator(branch.elseBlock());
  Value shifted = elseB.create<arith::SubIOp>(loc, bid, split);
  inlineBody(second, branch.elseBlock(), shifted);
  first.erase();
  second.erase();
  return joined;
}

int64_t blockSize(gpu::LaunchOp launch) {
  APInt size;
  matchPattern(launch.getBlockSizeX(), m_ConstantInt(&size));
  return size.getSExtValue();
}

struct FuseLaunches : public hebb::impl::HebbFuseLaunchesBase<FuseLaunches> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation().walk([&](Block *block) {
      if (!block->getParentOp()->getParentOfType<gpu::LaunchOp>() &&
          !isa<gpu::LaunchOp>(block->getParentOp()))
        blocks.push_back(block);
    });
    for (Block *block : blocks)
      fuseIn(*block);
  }

  /// Step 3, over one block's ops in order.
  void fuseIn(Block &block) {
    gpu::LaunchOp group;
    Access groupAccess;
    for (Operation &op : llvm::make_early_inc_range(block)) {
      auto launch = dyn_cast<gpu::LaunchOp>(op);
      if (!launch) {
        if (!isMemoryEffectFree(&op))
          group = nullptr;
        continue;
      }
      std::optional<Access> access = accesses(launch);
      if (!access) {
        group = nullptr;
        continue;
      }
      if (group && blockSize(group) == blockSize(launch) &&
          !groupAccess.conflicts(*access)) {
        group = join(group, launch);
        groupAccess.reads.append(access->reads);
        groupAccess.writes.append(access->writes);
        continue;
      }
      group = launch;
      groupAccess = *access;
    }
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createFuseLaunchesPass() {
  return std::make_unique<FuseLaunches>();
}
