//===- MapToGpu.cpp - loop nests on buffers as GPU launches ---------------===//
//
/// The algorithm, for each linalg op on buffers in a function (after
/// hebb-plan-memory every operand is a parameter, an argument or a view of
/// the scratch argument):
///   1. Its loop ranges (static) and which loops are parallel; the parallel
///      loops' iteration space has N points.
///   2. A gpu.launch of ceil(N / B) blocks of B threads (B = block-size, or
///      N rounded up to a warp when N is smaller); thread g = block * B +
///      thread computes point g when g < N. The parallel indices are g
///      delinearised with the last parallel loop fastest, so neighbouring
///      threads touch neighbouring elements of row-major buffers.
///   3. In the guard, the op becomes loops (linalgOpToLoops) and each
///      parallel loop is peeled: its body runs once, at its index. The
///      reduction loops stay, in their order, so each output element is
///      summed in the order the CPU code and the evaluator use.
///   4. A memref.get_global a launch reads is cloned into the launch (the
///      global moves to the device with the kernel: hebb-merge-gpu-modules),
///      and so is the load of a scalar from a read-only argument (a seed).
/// A matrix product is tiled instead (TiledContraction.h), and a long
/// reduction into few outputs gets a block per output (BlockReduction.h),
/// unless `cooperative` is off (the CPU emulation, which runs a block's
/// threads one after the other and so cannot wait at a barrier); a zero
/// fill right before either is dropped, the kernel storing its sums.
/// Then any op left on the host that would touch memory is an error: the
/// host of a GPU program only computes views and launches kernels.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/ptx/BlockReduction.h"
#include "codegen/ptx/TiledContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

namespace hebb {
#define GEN_PASS_DECL_HEBBMAPTOGPU
#define GEN_PASS_DEF_HEBBMAPTOGPU
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

/// linalgOpToLoops takes a pattern rewriter; outside a pattern, this one.
struct MapRewriter : public PatternRewriter {
  explicit MapRewriter(MLIRContext *ctx) : PatternRewriter(ctx) {}
};

Value index(OpBuilder &b, Location loc, int64_t v) {
  return b.create<arith::ConstantIndexOp>(loc, v);
}

/// Steps 1 and 2: the launch, with the insertion point inside its guard;
/// returns the parallel loops' indices (null for reduction loops).
SmallVector<Value> buildLaunch(MapRewriter &rw, linalg::LinalgOp op,
                               int64_t blockSize) {
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t points = 1;
  for (auto [range, it] : llvm::zip(ranges, iterators))
    if (linalg::isParallelIterator(it))
      points *= range;
  int64_t threads = points >= blockSize ? blockSize
                    : points == 1       ? 1
                                        : (int64_t)llvm::alignTo(points, 32);
  int64_t blocks = llvm::divideCeil(points, threads);
  Value one = index(rw, loc, 1);
  auto launch = rw.create<gpu::LaunchOp>(loc, index(rw, loc, blocks), one, one,
                                         index(rw, loc, threads), one, one);
  rw.setInsertionPointToStart(&launch.getBody().front());
  Operation *end = rw.create<gpu::TerminatorOp>(loc);
  rw.setInsertionPoint(end);
  Value g = rw.create<arith::AddIOp>(
      loc,
      rw.create<arith::MulIOp>(loc, launch.getBlockIds().x,
                               index(rw, loc, threads)),
      launch.getThreadIds().x);
  if (blocks * threads != points) {
    Value inside = rw.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ult, g,
                                            index(rw, loc, points));
    auto guard = rw.create<scf::IfOp>(loc, inside, /*withElseRegion=*/false);
    rw.setInsertionPoint(guard.thenBlock()->getTerminator());
  }
  SmallVector<Value> indices(ranges.size());
  Value rest = g;
  for (int d = (int)ranges.size() - 1; d >= 0; --d) {
    if (!linalg::isParallelIterator(iterators[d]))
      continue;
    if (ranges[d] == 1) {
      indices[d] = index(rw, loc, 0);
      continue;
    }
    Value r = index(rw, loc, ranges[d]);
    indices[d] = rw.create<arith::RemUIOp>(loc, rest, r);
    rest = rw.create<arith::DivUIOp>(loc, rest, r);
  }
  return indices;
}

/// Step 3: `op` moved to the insertion point as loops, parallel ones peeled.
LogicalResult emitBody(MapRewriter &rw, linalg::LinalgOp op,
                       ArrayRef<Value> indices) {
  Operation *moved = rw.clone(*op);
  rw.eraseOp(op);
  FailureOr<linalg::LinalgLoops> loops =
      linalg::linalgOpToLoops(rw, cast<linalg::LinalgOp>(moved));
  if (failed(loops) || loops->size() != indices.size())
    return moved->emitError("hebb-map-to-gpu: cannot lower to loops");
  rw.eraseOp(moved);
  for (auto [loop, iv] : llvm::zip(*loops, indices)) {
    if (!iv)
      continue;
    auto forOp = cast<scf::ForOp>(loop);
    Block *body = forOp.getBody();
    rw.eraseOp(body->getTerminator());
    rw.mergeBlockBefore(body, forOp, {iv});
    rw.eraseOp(forOp);
  }
  return success();
}

/// Step 4: a scalar the host would read for the launches (a global's
/// address, a seed word from an argument) is read in each launch instead.
/// A load moves only from a function argument that nothing writes or
/// views, so it reads the same value wherever it runs.
bool readOnlyArgument(func::FuncOp fn, Value memref) {
  auto arg = memref.dyn_cast<BlockArgument>();
  if (!arg || arg.getOwner() != &fn.getBody().front())
    return false;
  return llvm::all_of(arg.getUsers(), [](Operation *user) {
    return isa<memref::LoadOp>(user);
  });
}

void sinkReadsIntoLaunches(func::FuncOp fn) {
  SmallVector<Operation *> reads;
  fn.walk([&](Operation *op) {
    if (op->getParentOfType<gpu::LaunchOp>())
      return;
    if (isa<memref::GetGlobalOp>(op))
      reads.push_back(op);
    if (auto load = dyn_cast<memref::LoadOp>(op))
      if (readOnlyArgument(fn, load.getMemref()))
        reads.push_back(op);
  });
  for (Operation *read : reads) {
    for (OpOperand &use : llvm::make_early_inc_range(read->getUses())) {
      auto launch = use.getOwner()->getParentOfType<gpu::LaunchOp>();
      if (!launch)
        continue;
      OpBuilder b = OpBuilder::atBlockBegin(&launch.getBody().front());
      IRMapping operands;
      for (Value v : read->getOperands())
        if (Operation *def = v.getDefiningOp())
          if (def->hasTrait<OpTrait::ConstantLike>())
            operands.map(v, b.clone(*def)->getResult(0));
      use.set(b.clone(*read, operands)->getResult(0));
    }
    if (read->use_empty())
      read->erase();
  }
}

/// A zero fill right before a tileable product or a block-reduced sum of
/// the same buffer is dropped; the kernel then stores its sums
/// (`overwrite`).
void dropZeroFills(SmallVectorImpl<linalg::LinalgOp> &ops,
                   llvm::SmallPtrSetImpl<Operation *> &overwrite) {
  SmallVector<linalg::LinalgOp> kept;
  for (auto [i, op] : llvm::enumerate(ops)) {
    auto fill = dyn_cast<linalg::FillOp>(op.getOperation());
    if (fill && i + 1 < ops.size() && fill->getNextNode() == ops[i + 1] &&
        matchPattern(fill.getInputs()[0], m_AnyZeroFloat()) &&
        (hebb::ptx::isTileableContraction(ops[i + 1]) ||
         hebb::ptx::isBlockReducibleSum(ops[i + 1])) &&
        ops[i + 1].getDpsInitOperand(0)->get() == fill.getOutputs()[0]) {
      overwrite.insert(ops[i + 1]);
      fill->erase();
      continue;
    }
    kept.push_back(op);
  }
  ops.assign(kept.begin(), kept.end());
}

/// Constants used in a launch are defined in it (gpu-kernel-outlining in
/// MLIR 16 would pass each one as a kernel argument).
void sinkConstants(func::FuncOp fn) {
  fn.walk([&](gpu::LaunchOp launch) {
    SetVector<Value> used;
    getUsedValuesDefinedAbove(launch.getBody(), used);
    OpBuilder b = OpBuilder::atBlockBegin(&launch.getBody().front());
    for (Value v : used) {
      Operation *def = v.getDefiningOp();
      if (!def || !def->hasTrait<OpTrait::ConstantLike>())
        continue;
      Value copy = b.clone(*def)->getResult(0);
      replaceAllUsesInRegionWith(v, copy, launch.getBody());
    }
  });
}

/// What the host of a GPU program may do: views, scalar arithmetic, loops
/// (a hebb.scan's steps) and launches.
bool hostOnly(Operation *op) {
  return isa<gpu::LaunchOp, func::ReturnOp, scf::ForOp, scf::YieldOp,
             memref::ViewOp, memref::SubViewOp, memref::CollapseShapeOp,
             memref::ExpandShapeOp, memref::ReinterpretCastOp, memref::CastOp,
             memref::GetGlobalOp>(op) ||
         (op->getDialect() && isa<arith::ArithDialect>(op->getDialect()));
}

struct MapToGpu : public hebb::impl::HebbMapToGpuBase<MapToGpu> {
  using HebbMapToGpuBase::HebbMapToGpuBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(&getContext()));
    MapRewriter rw(&getContext());
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      SmallVector<linalg::LinalgOp> ops;
      fn.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
      llvm::SmallPtrSet<Operation *, 8> overwrite;
      if (cooperative)
        dropZeroFills(ops, overwrite);
      for (linalg::LinalgOp op : ops) {
        if (llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic) ||
            op->getNumResults() != 0) {
          op->emitError("hebb-map-to-gpu: a loop nest on buffers with "
                        "static ranges was expected");
          return signalPassFailure();
        }
        if (cooperative && (succeeded(hebb::ptx::buildTiledContraction(
                                rw, op, overwrite.contains(op))) ||
                            succeeded(hebb::ptx::buildBlockReduction(
                                rw, op, overwrite.contains(op)))))
          continue;
        rw.setInsertionPoint(op);
        SmallVector<Value> indices = buildLaunch(rw, op, blockSize);
        if (failed(emitBody(rw, op, indices)))
          return signalPassFailure();
      }
      sinkReadsIntoLaunches(fn);
      sinkConstants(fn);
      WalkResult host =
          fn.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
            if (isa<gpu::LaunchOp>(op))
              return WalkResult::skip();
            if (hostOnly(op))
              return WalkResult::advance();
            op->emitError("hebb-map-to-gpu: '")
                << op->getName() << "' has no GPU lowering";
            return WalkResult::interrupt();
          });
      if (host.wasInterrupted())
        return signalPassFailure();
    }
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createMapToGpuPass() {
  return std::make_unique<MapToGpu>();
}
