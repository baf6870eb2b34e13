//===- ScanLowering.cpp - hebb.scan as scf.for over tensor slices ---------===//
//
/// The algorithm, for each scan (innermost first):
///   1. Loop-carried tensors: the carries, then one empty stacked tensor per
///      step output.
///   2. In the loop body, t = i (or T − 1 − i when reversed); step t of each
///      sequence is a rank-reducing tensor.extract_slice.
///   3. The scan's body ops move into the loop with its arguments replaced.
///   4. Each step output is inserted at t; each next carry is copied into
///      its loop-carried tensor (a destination the loop writes in place).
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBLOWERSCAN
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;
using namespace hebb;

namespace {

/// Offsets (t, 0, ...), sizes (1, dims...) and unit strides of step t of a
/// stacked tensor of `type`.
struct StepSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  StepSlice(OpBuilder &b, RankedTensorType type, Value t) {
    offsets.push_back(t);
    sizes.push_back(b.getIndexAttr(1));
    for (int64_t d : type.getShape().drop_front()) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(d));
    }
    strides.assign(type.getRank(), b.getIndexAttr(1));
  }
};

RankedTensorType tensorOf(Value v) {
  return v.getType().cast<RankedTensorType>();
}

RankedTensorType dropLeading(RankedTensorType t) {
  return RankedTensorType::get(t.getShape().drop_front(), t.getElementType());
}

void lowerScan(ScanOp scan) {
  OpBuilder b(scan);
  Location loc = scan.getLoc();
  const unsigned nSeq = scan.getSequences().size(),
                 nCarry = scan.getCarries().size(),
                 nOut = scan.getNumStepOutputs();
  const int64_t length = scan.getLength();
  SmallVector<Value> inits(scan.getCarries());
  for (unsigned o = 0; o < nOut; ++o) {
    auto type = tensorOf(scan.getResult(o));
    inits.push_back(
        b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType()));
  }
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value count = b.create<arith::ConstantIndexOp>(loc, length);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  auto loop = b.create<scf::ForOp>(loc, zero, count, one, inits);
  Block *lb = loop.getBody();
  OpBuilder ib = OpBuilder::atBlockBegin(lb);
  Value t = lb->getArgument(0);
  if (scan.getReverse())
    t = ib.create<arith::SubIOp>(
        loc, ib.create<arith::ConstantIndexOp>(loc, length - 1), t);
  Block &body = scan.getBody().front();
  IRMapping map;
  for (auto [k, s] : llvm::enumerate(scan.getSequences())) {
    StepSlice at(ib, tensorOf(s), t);
    map.map(body.getArgument(k), ib.create<tensor::ExtractSliceOp>(
                                     loc, dropLeading(tensorOf(s)), s,
                                     at.offsets, at.sizes, at.strides));
  }
  for (unsigned j = 0; j < nCarry; ++j)
    map.map(body.getArgument(nSeq + j), lb->getArgument(1 + j));
  for (auto [k, w] : llvm::enumerate(scan.getInvariants()))
    map.map(body.getArgument(nSeq + nCarry + k), w);
  for (Operation &op : body.without_terminator())
    ib.clone(op, map);
  auto yield = cast<YieldOp>(body.getTerminator());
  // Step outputs first: one may be an incoming carry, which the carry
  // copies then overwrite.
  SmallVector<Value> next(nCarry + nOut);
  for (unsigned o = 0; o < nOut; ++o) {
    Value stacked = lb->getArgument(1 + nCarry + o);
    StepSlice at(ib, tensorOf(stacked), t);
    next[nCarry + o] = ib.create<tensor::InsertSliceOp>(
        loc, map.lookup(yield.getOperand(o)), stacked, at.offsets, at.sizes,
        at.strides);
  }
  for (unsigned j = 0; j < nCarry; ++j)
    next[j] =
        ib.create<linalg::CopyOp>(loc, map.lookup(yield.getOperand(nOut + j)),
                                  lb->getArgument(1 + j))
            .getResult(0);
  // Without loop-carried values, scf.for's builder ends the body with an
  // empty yield.
  if (!lb->empty() && lb->back().hasTrait<mlir::OpTrait::IsTerminator>())
    lb->back().erase();
  ib.setInsertionPointToEnd(lb);
  ib.create<scf::YieldOp>(loc, next);
  for (unsigned o = 0; o < nOut; ++o)
    scan.getResult(o).replaceAllUsesWith(loop.getResult(nCarry + o));
  for (unsigned j = 0; j < nCarry; ++j)
    scan.getResult(nOut + j).replaceAllUsesWith(loop.getResult(j));
  scan.erase();
}

struct LowerScan : public hebb::impl::HebbLowerScanBase<LowerScan> {
  void runOnOperation() override {
    SmallVector<ScanOp> scans;
    getOperation().walk([&](ScanOp s) { scans.push_back(s); });
    for (ScanOp s : scans) // post-order: inner scans first
      lowerScan(s);
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createLowerScanPass() {
  return std::make_unique<LowerScan>();
}
