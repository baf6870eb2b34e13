//===- BlockReduction.cpp - reductions as one block per output ------------===//
//
/// A reduction whose outputs are few and whose reduction is long (a loss,
/// the norm that gradient clipping divides by, a bias gradient) runs one
/// block of 256 threads per output element instead of one thread:
///   1. The body must be `out = out (+|max|min) x` with x computed from the
///      inputs (and loop indices) alone; the combiner's identity starts
///      each thread's partial.
///   2. Thread t combines the points t, t + 256, ... of the reduction loops
///      (linearised, the last loop fastest), in that order.
///   3. The 256 partials meet in shared memory by halving (128, 64, ... 1
///      threads), a barrier between rounds; thread 0 combines the total
///      with the output's old value (or stores it, when a sum's output was
///      just filled with zeros and the fill dropped).
/// The order of the sums is fixed by the block size: results do not
/// depend on the GPU or on timing.
//
//===----------------------------------------------------------------------===//

#include "codegen/ptx/BlockReduction.h"
#include "codegen/ptx/KernelBuilder.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

using namespace mlir;

namespace hebb::ptx {

namespace {

constexpr int64_t kThreads = 256;

/// Step 1: the combining op of the body and the value it folds in, or null.
std::pair<Operation *, Value> combiner(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return {};
  Operation *comb = yield.getOperand(0).getDefiningOp();
  if (!isa_and_nonnull<arith::AddFOp, arith::MaxFOp, arith::MinFOp>(comb) ||
      comb->getBlock() != body)
    return {};
  BlockArgument out = body->getArguments().back();
  if (!out.hasOneUse())
    return {};
  if (comb->getOperand(0) == out)
    return {comb, comb->getOperand(1)};
  if (comb->getOperand(1) == out)
    return {comb, comb->getOperand(0)};
  return {};
}

Value identity(OpBuilder &b, Location loc, Operation *comb, Type type) {
  double v = isa<arith::AddFOp>(comb) ? 0.0
             : isa<arith::MaxFOp>(comb)
                 ? -std::numeric_limits<double>::infinity()
                 : std::numeric_limits<double>::infinity();
  return b.create<arith::ConstantOp>(loc, b.getFloatAttr(type, v));
}

Value combine(OpBuilder &b, Location loc, Operation *comb, Value x, Value y) {
  OperationState state(loc, comb->getName(), ValueRange{x, y},
                       comb->getResultTypes(), comb->getAttrs());
  return b.create(state)->getResult(0);
}

/// x at loop point `loop`: the body's ops that x depends on, cloned with
/// the inputs read from memory and linalg.index replaced.
Value valueAt(OpBuilder &b, linalg::LinalgOp op, KernelBuilder &k,
              Operation *comb, Value x, ArrayRef<Value> loop) {
  IRMapping map;
  Block *body = op.getBlock();
  for (OpOperand *in : op.getDpsInputOperands()) {
    Value v = in->get();
    Value element =
        v.getType().isa<MemRefType>()
            ? b.create<memref::LoadOp>(k.loc, v, k.indices(op, in, loop))
            : v;
    map.map(body->getArgument(in->getOperandNumber()), element);
  }
  for (Operation &inner : body->without_terminator()) {
    if (&inner == comb)
      break;
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      map.map(index.getResult(), loop[index.getDim()]);
      continue;
    }
    b.clone(inner, map);
  }
  return map.lookupOrDefault(x);
}

} // namespace

namespace {

/// What the kernel needs to know of a reducible op.
struct Reduction {
  Operation *comb = nullptr;
  Value x;
  Type element;
  SmallVector<unsigned> parallel, reduction;
  int64_t points = 1, length = 1;
};

std::optional<Reduction> analyze(linalg::LinalgOp op) {
  Reduction r;
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 0)
    return std::nullopt;
  r.element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
  if (!r.element.isF32() && !r.element.isF64())
    return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return std::nullopt;
  std::tie(r.comb, r.x) = combiner(op);
  if (!r.comb)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < ranges.size(); ++d) {
    if (ShapedType::isDynamic(ranges[d]))
      return std::nullopt;
    if (linalg::isParallelIterator(iterators[d])) {
      r.parallel.push_back(d);
      r.points *= ranges[d];
    } else {
      r.reduction.push_back(d);
      r.length *= ranges[d];
    }
  }
  // Many outputs already fill the GPU with one thread each.
  if (r.reduction.empty() || r.length < 64 || r.points > 8192)
    return std::nullopt;
  return r;
}

} // namespace

bool isBlockReducibleSum(linalg::LinalgOp op) {
  std::optional<Reduction> r = analyze(op);
  return r && isa<arith::AddFOp>(r->comb);
}

LogicalResult buildBlockReduction(RewriterBase &rw, linalg::LinalgOp op,
                                  bool overwrite) {
  std::optional<Reduction> analysis = analyze(op);
  if (!analysis)
    return failure();
  auto &[comb, x, element, parallel, reduction, points, length] = *analysis;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  Location loc = op.getLoc();
  rw.setInsertionPoint(op);
  KernelBuilder k{rw, loc};
  auto launch = rw.create<gpu::LaunchOp>(loc, k.c(points), k.c(1), k.c(1),
                                         k.c(kThreads), k.c(1), k.c(1));
  rw.setInsertionPointToStart(&launch.getBody().front());
  rw.setInsertionPoint(rw.create<gpu::TerminatorOp>(loc));
  Value tid = launch.getThreadIds().x;
  SmallVector<Value> loop(ranges.size(), k.c(0));
  k.delinearize(op, parallel, launch.getBlockIds().x, loop);

  // Step 2: the thread's partial over its strided points.
  auto strided =
      rw.create<scf::ForOp>(loc, tid, k.c(length), k.c(kThreads),
                            ValueRange{identity(rw, loc, comb, element)});
  {
    OpBuilder::InsertionGuard g(rw);
    rw.setInsertionPointToStart(strided.getBody());
    SmallVector<Value> at(loop);
    k.delinearize(op, reduction, strided.getInductionVar(), at);
    Value v = valueAt(rw, op, k, comb, x, at);
    rw.create<scf::YieldOp>(
        loc, combine(rw, loc, comb, strided.getRegionIterArgs()[0], v));
  }

  // Step 3: the tree in shared memory.
  Value partials = k.shared(op->getParentOfType<ModuleOp>(),
                            element.isF32() ? "hebb_reduce_partials"
                                            : "hebb_reduce_partials_f64",
                            {kThreads}, element);
  rw.create<memref::StoreOp>(loc, strided.getResult(0), partials, tid);
  rw.create<gpu::BarrierOp>(loc);
  for (int64_t half = kThreads / 2; half >= 1; half /= 2) {
    auto ifOp = rw.create<scf::IfOp>(loc, k.lt(tid, half), false);
    {
      OpBuilder::InsertionGuard g(rw);
      rw.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      Value mine = rw.create<memref::LoadOp>(loc, partials, tid);
      Value other = rw.create<memref::LoadOp>(
          loc, partials, ValueRange{k.add(tid, k.c(half))});
      rw.create<memref::StoreOp>(loc, combine(rw, loc, comb, mine, other),
                                 partials, tid);
    }
    rw.create<gpu::BarrierOp>(loc);
  }
  auto first = rw.create<scf::IfOp>(loc, k.lt(tid, 1), false);
  rw.setInsertionPoint(first.thenBlock()->getTerminator());
  OpOperand *out = op.getDpsInitOperand(0);
  SmallVector<Value> idx = k.indices(op, out, loop);
  Value total = rw.create<memref::LoadOp>(loc, partials, ValueRange{k.c(0)});
  if (!overwrite)
    total = combine(rw, loc, comb,
                    rw.create<memref::LoadOp>(loc, out->get(), idx), total);
  rw.create<memref::StoreOp>(loc, total, out->get(), idx);
  rw.eraseOp(op);
  return success();
}

} // namespace hebb::ptx
