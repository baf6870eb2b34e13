//===- TiledContraction.cpp - matrix products as shared-memory tiles ------===//
//
/// A contraction (C += A B over one reduction loop, any transposes, batch
/// loops, several row loops) becomes one launch of 64x64 output tiles
/// (32x32 or 16x16 when the bigger ones would leave a GPU's SMs idle):
///   1. Loops are sorted: batch (read by A and B), rows M (read by A only),
///      columns N (read by B only, exactly one loop), and the reduction K.
///      Grid: (ceil(N/T), ceil(M/T), batch); 256 threads, each owning a
///      (T/16)x(T/16) block of the tile.
///   2. For each step of 16 along K: the block stages A's Tx16 and B's
///      16xT slabs in shared memory (T/16 elements per thread each, zeros
///      outside the matrices), waits at a barrier, then each thread adds
///      its 16 products per k with fma from shared memory, and waits again.
///   3. Each thread adds its sums to C's elements inside the matrix (or
///      stores them, when C was just filled with zeros: the fill is
///      dropped, one launch fewer).
/// An element of A or B is read through the op's indexing map, so a
/// transposed operand needs no copy. The shared slabs are module globals
/// in address space 3 (MLIR 16's gpu.launch has no workgroup attributions);
/// outlining copies them into the kernel module.
//
//===----------------------------------------------------------------------===//

#include "codegen/ptx/TiledContraction.h"
#include "codegen/ptx/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;

namespace hebb::ptx {

namespace {

constexpr int64_t kStep = 16, kThreads = 256;
/// Blocks below which a smaller tile is taken (about an H100's SMs).
constexpr int64_t kEnoughBlocks = 128;

/// Step 1: the loops by role, or nothing when the op is not such a product.
struct Roles {
  SmallVector<unsigned> batch, rows, cols;
  unsigned k = 0;
  int64_t batchSize = 1, m = 1, n = 1, kSize = 1;
};

std::optional<Roles> classify(linalg::LinalgOp op) {
  if (!linalg::isaContractionOpInterface(op) || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return std::nullopt;
  for (OpOperand *o : op.getDpsInputOperands())
    if (!getElementTypeOrSelf(o->get().getType()).isF32())
      return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  AffineMap a = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap b = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  Roles r;
  int reductions = 0;
  for (unsigned d = 0; d < ranges.size(); ++d) {
    if (ShapedType::isDynamic(ranges[d]))
      return std::nullopt;
    bool inA = a.isFunctionOfDim(d), inB = b.isFunctionOfDim(d);
    if (!linalg::isParallelIterator(iterators[d])) {
      r.k = d;
      r.kSize = ranges[d];
      ++reductions;
    } else if (inA && inB) {
      r.batch.push_back(d);
      r.batchSize *= ranges[d];
    } else if (inA) {
      r.rows.push_back(d);
      r.m *= ranges[d];
    } else if (inB) {
      r.cols.push_back(d);
      r.n *= ranges[d];
    } else {
      return std::nullopt;
    }
  }
  if (reductions != 1 || r.rows.empty() || r.cols.size() != 1)
    return std::nullopt;
  return r;
}

/// `inside` ? operand[loop] : 0.
Value guardedLoad(KernelBuilder &k, linalg::LinalgOp op, Value inside,
                  OpOperand *operand, ArrayRef<Value> loop) {
  OpBuilder &b = k.b;
  auto ifOp = b.create<scf::IfOp>(k.loc, b.getF32Type(), inside, true);
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  Value v = b.create<memref::LoadOp>(k.loc, operand->get(),
                                     k.indices(op, operand, loop));
  b.create<scf::YieldOp>(k.loc, v);
  b.setInsertionPointToStart(ifOp.elseBlock());
  b.create<scf::YieldOp>(k.loc, ValueRange{b.create<arith::ConstantOp>(
                                    k.loc, b.getF32FloatAttr(0))});
  return ifOp.getResult(0);
}

} // namespace

bool isTileableContraction(linalg::LinalgOp op) {
  return classify(op).has_value();
}

namespace {

/// One tiled kernel being written: the op, its loops' roles, the tile and
/// the thread's place in it.
struct Tile {
  linalg::LinalgOp op;
  const Roles &r;
  KernelBuilder &k;
  int64_t size, perThread;
  Value tid, m0, n0, tx, ty, aSlab, bSlab;
  SmallVector<Value> base; ///< the loop point of the block's batch

  /// Step 2a: the block's A and B slabs for the K step at `k0`.
  void stage(Value k0) {
    OpOperand *a = op.getDpsInputOperand(0), *b = op.getDpsInputOperand(1);
    Location loc = k.loc;
    for (int64_t l = 0; l < size * kStep / kThreads; ++l) {
      Value e = k.add(tid, k.c(l * kThreads));
      // A: element (row m0 + e / 16, k0 + e % 16) at [e % 16][e / 16].
      Value row = k.div(e, kStep), col = k.rem(e, kStep);
      Value m = k.add(m0, row), ka = k.add(k0, col);
      SmallVector<Value> at(base);
      k.delinearize(op, r.rows, m, at);
      at[r.k] = ka;
      Value inA =
          k.b.create<arith::AndIOp>(loc, k.lt(m, r.m), k.lt(ka, r.kSize));
      k.b.create<memref::StoreOp>(loc, guardedLoad(k, op, inA, a, at), aSlab,
                                  ValueRange{col, row});
      // B: element (k0 + e / T, column n0 + e % T) at [e / T][e % T].
      Value kRow = k.div(e, size), nCol = k.rem(e, size);
      Value n = k.add(n0, nCol), kb = k.add(k0, kRow);
      SmallVector<Value> bt(base);
      bt[r.cols[0]] = n;
      bt[r.k] = kb;
      Value inB =
          k.b.create<arith::AndIOp>(loc, k.lt(n, r.n), k.lt(kb, r.kSize));
      k.b.create<memref::StoreOp>(loc, guardedLoad(k, op, inB, b, bt), bSlab,
                                  ValueRange{kRow, nCol});
    }
  }

  /// Step 2b: the thread's sums `acc` after the staged K step.
  void multiply(SmallVectorImpl<Value> &acc) {
    for (int64_t s = 0; s < kStep; ++s) {
      SmallVector<Value> av, bv;
      for (int64_t i = 0; i < perThread; ++i) {
        av.push_back(k.b.create<memref::LoadOp>(
            k.loc, aSlab,
            ValueRange{k.c(s), k.add(k.mul(ty, k.c(perThread)), k.c(i))}));
        bv.push_back(k.b.create<memref::LoadOp>(
            k.loc, bSlab,
            ValueRange{k.c(s), k.add(k.mul(tx, k.c(perThread)), k.c(i))}));
      }
      for (int64_t i = 0; i < perThread; ++i)
        for (int64_t j = 0; j < perThread; ++j)
          acc[i * perThread + j] = k.b.create<math::FmaOp>(
              k.loc, av[i], bv[j], acc[i * perThread + j]);
    }
  }

  /// Step 3: C += sums (C = sums over a dropped zero fill), inside the
  /// matrix.
  void store(ValueRange sums, bool overwrite) {
    OpOperand *c = op.getDpsInitOperand(0);
    for (int64_t i = 0; i < perThread; ++i)
      for (int64_t j = 0; j < perThread; ++j) {
        Value m = k.add(m0, k.add(k.mul(ty, k.c(perThread)), k.c(i)));
        Value n = k.add(n0, k.add(k.mul(tx, k.c(perThread)), k.c(j)));
        Value inside =
            k.b.create<arith::AndIOp>(k.loc, k.lt(m, r.m), k.lt(n, r.n));
        auto ifOp = k.b.create<scf::IfOp>(k.loc, inside, false);
        OpBuilder::InsertionGuard g(k.b);
        k.b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
        SmallVector<Value> at(base);
        k.delinearize(op, r.rows, m, at);
        at[r.cols[0]] = n;
        SmallVector<Value> idx = k.indices(op, c, at);
        Value sum = sums[i * perThread + j];
        if (!overwrite)
          sum = k.b.create<arith::AddFOp>(
              k.loc, k.b.create<memref::LoadOp>(k.loc, c->get(), idx), sum);
        k.b.create<memref::StoreOp>(k.loc, sum, c->get(), idx);
      }
  }
};

/// The largest tile (64, 32, 16) that still gives enough blocks.
int64_t tileSize(const Roles &r) {
  int64_t t = 64;
  auto blocks = [&](int64_t t) {
    return llvm::divideCeil(r.n, t) * llvm::divideCeil(r.m, t) * r.batchSize;
  };
  while (t > 16 && blocks(t) < kEnoughBlocks)
    t /= 2;
  return t;
}

} // namespace

LogicalResult buildTiledContraction(RewriterBase &rw, linalg::LinalgOp op,
                                    bool overwrite) {
  std::optional<Roles> roles = classify(op);
  if (!roles)
    return failure();
  Location loc = op.getLoc();
  rw.setInsertionPoint(op);
  KernelBuilder k{rw, loc};
  int64_t size = tileSize(*roles);
  auto launch = rw.create<gpu::LaunchOp>(
      loc, k.c(llvm::divideCeil(roles->n, size)),
      k.c(llvm::divideCeil(roles->m, size)), k.c(roles->batchSize),
      k.c(kThreads), k.c(1), k.c(1));
  rw.setInsertionPointToStart(&launch.getBody().front());
  rw.setInsertionPoint(rw.create<gpu::TerminatorOp>(loc));
  // Each of the 256 threads owns (size / 16)^2 outputs.
  Tile t{op, *roles, k, size, size / 16};
  t.tid = launch.getThreadIds().x;
  t.n0 = k.mul(launch.getBlockIds().x, k.c(size));
  t.m0 = k.mul(launch.getBlockIds().y, k.c(size));
  t.tx = k.rem(t.tid, size / t.perThread);
  t.ty = k.div(t.tid, size / t.perThread);
  ModuleOp module = op->getParentOfType<ModuleOp>();
  std::string suffix = "_" + std::to_string(size);
  t.aSlab = k.shared(module, "hebb_gemm_tile_a" + suffix, {kStep, size});
  t.bSlab = k.shared(module, "hebb_gemm_tile_b" + suffix, {kStep, size});
  t.base.assign(op.getNumLoops(), k.c(0));
  k.delinearize(op, roles->batch, launch.getBlockIds().z, t.base);

  // Step 2: the K loop carries the thread's sums.
  Value zero = rw.create<arith::ConstantOp>(loc, rw.getF32FloatAttr(0));
  SmallVector<Value> init(t.perThread * t.perThread, zero);
  auto kLoop =
      rw.create<scf::ForOp>(loc, k.c(0), k.c(roles->kSize), k.c(kStep), init);
  {
    OpBuilder::InsertionGuard g(rw);
    rw.setInsertionPointToStart(kLoop.getBody());
    t.stage(kLoop.getInductionVar());
    rw.create<gpu::BarrierOp>(loc);
    SmallVector<Value> acc(kLoop.getRegionIterArgs());
    t.multiply(acc);
    rw.create<gpu::BarrierOp>(loc);
    rw.create<scf::YieldOp>(loc, acc);
  }
  t.store(kLoop.getResults(), overwrite);
  rw.eraseOp(op);
  return success();
}

} // namespace hebb::ptx
