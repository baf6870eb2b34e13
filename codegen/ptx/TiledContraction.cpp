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

LogicalResult buildTiledContraction(RewriterBase &rw, linalg::LinalgOp op,
                                    bool overwrite) {
  std::optional<Roles> roles = classify(op);
  if (!roles)
    return failure();
  const Roles &r = *roles;
  Location loc = op.getLoc();
  ModuleOp module = op->getParentOfType<ModuleOp>();
  rw.setInsertionPoint(op);
  KernelBuilder k{rw, loc};
  // The largest tile (64, 32, 16) that still gives enough blocks; each of
  // the 256 threads owns (tile / 16)^2 outputs.
  int64_t kTile = 64;
  auto blocks = [&](int64_t t) {
    return llvm::divideCeil(r.n, t) * llvm::divideCeil(r.m, t) * r.batchSize;
  };
  while (kTile > 16 && blocks(kTile) < kEnoughBlocks)
    kTile /= 2;
  const int64_t kPerThread = kTile / 16;
  auto launch = rw.create<gpu::LaunchOp>(
      loc, k.c(llvm::divideCeil(r.n, kTile)), k.c(llvm::divideCeil(r.m, kTile)),
      k.c(r.batchSize), k.c(kThreads), k.c(1), k.c(1));
  rw.setInsertionPointToStart(&launch.getBody().front());
  rw.setInsertionPoint(rw.create<gpu::TerminatorOp>(loc));
  Value tid = launch.getThreadIds().x;
  Value n0 = k.mul(launch.getBlockIds().x, k.c(kTile));
  Value m0 = k.mul(launch.getBlockIds().y, k.c(kTile));
  Value tx = k.rem(tid, kTile / kPerThread),
        ty = k.div(tid, kTile / kPerThread);
  std::string suffix = "_" + std::to_string(kTile);
  Value aSlab = k.shared(module, "hebb_gemm_tile_a" + suffix, {kStep, kTile});
  Value bSlab = k.shared(module, "hebb_gemm_tile_b" + suffix, {kStep, kTile});
  OpOperand *aOp = op.getDpsInputOperand(0), *bOp = op.getDpsInputOperand(1);
  unsigned loops = op.getNumLoops();
  SmallVector<Value> base(loops, k.c(0));
  k.delinearize(op, r.batch, launch.getBlockIds().z, base);

  // Step 2: the K loop carries the thread's 16 sums.
  Value zero = rw.create<arith::ConstantOp>(loc, rw.getF32FloatAttr(0));
  SmallVector<Value> init(kPerThread * kPerThread, zero);
  auto kLoop =
      rw.create<scf::ForOp>(loc, k.c(0), k.c(r.kSize), k.c(kStep), init);
  {
    OpBuilder::InsertionGuard g(rw);
    rw.setInsertionPointToStart(kLoop.getBody());
    Value k0 = kLoop.getInductionVar();
    for (int64_t l = 0; l < kTile * kStep / kThreads; ++l) {
      Value e = k.add(tid, k.c(l * kThreads));
      // A's slab: element (row m0 + e / 16, k0 + e % 16) at [e % 16][e / 16].
      Value row = k.div(e, kStep), col = k.rem(e, kStep);
      Value m = k.add(m0, row), kk = k.add(k0, col);
      SmallVector<Value> at(base);
      k.delinearize(op, r.rows, m, at);
      at[r.k] = kk;
      Value inside =
          rw.create<arith::AndIOp>(loc, k.lt(m, r.m), k.lt(kk, r.kSize));
      rw.create<memref::StoreOp>(loc, guardedLoad(k, op, inside, aOp, at),
                                 aSlab, ValueRange{col, row});
      // B's slab: element (k0 + e / 64, column n0 + e % 64) at [e/64][e%64].
      Value kRow = k.div(e, kTile), nCol = k.rem(e, kTile);
      Value n = k.add(n0, nCol), kb = k.add(k0, kRow);
      SmallVector<Value> bt(base);
      bt[r.cols[0]] = n;
      bt[r.k] = kb;
      Value insideB =
          rw.create<arith::AndIOp>(loc, k.lt(n, r.n), k.lt(kb, r.kSize));
      rw.create<memref::StoreOp>(loc, guardedLoad(k, op, insideB, bOp, bt),
                                 bSlab, ValueRange{kRow, nCol});
    }
    rw.create<gpu::BarrierOp>(loc);
    SmallVector<Value> acc(kLoop.getRegionIterArgs());
    for (int64_t s = 0; s < kStep; ++s) {
      SmallVector<Value> av, bv;
      for (int64_t i = 0; i < kPerThread; ++i) {
        av.push_back(rw.create<memref::LoadOp>(
            loc, aSlab,
            ValueRange{k.c(s), k.add(k.mul(ty, k.c(kPerThread)), k.c(i))}));
        bv.push_back(rw.create<memref::LoadOp>(
            loc, bSlab,
            ValueRange{k.c(s), k.add(k.mul(tx, k.c(kPerThread)), k.c(i))}));
      }
      for (int64_t i = 0; i < kPerThread; ++i)
        for (int64_t j = 0; j < kPerThread; ++j)
          acc[i * kPerThread + j] = rw.create<math::FmaOp>(
              loc, av[i], bv[j], acc[i * kPerThread + j]);
    }
    rw.create<gpu::BarrierOp>(loc);
    rw.create<scf::YieldOp>(loc, acc);
  }

  // Step 3: C += sums (C = sums over a dropped zero fill), inside the
  // matrix.
  OpOperand *cOp = op.getDpsInitOperand(0);
  for (int64_t i = 0; i < kPerThread; ++i)
    for (int64_t j = 0; j < kPerThread; ++j) {
      Value m = k.add(m0, k.add(k.mul(ty, k.c(kPerThread)), k.c(i)));
      Value n = k.add(n0, k.add(k.mul(tx, k.c(kPerThread)), k.c(j)));
      Value inside = rw.create<arith::AndIOp>(loc, k.lt(m, r.m), k.lt(n, r.n));
      auto ifOp = rw.create<scf::IfOp>(loc, inside, false);
      OpBuilder::InsertionGuard g(rw);
      rw.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      SmallVector<Value> at(base);
      k.delinearize(op, r.rows, m, at);
      at[r.cols[0]] = n;
      SmallVector<Value> idx = k.indices(op, cOp, at);
      Value sum = kLoop.getResult(i * kPerThread + j);
      if (!overwrite)
        sum = rw.create<arith::AddFOp>(
            loc, rw.create<memref::LoadOp>(loc, cOp->get(), idx), sum);
      rw.create<memref::StoreOp>(loc, sum, cOp->get(), idx);
    }
  rw.eraseOp(op);
  return success();
}

} // namespace hebb::ptx
