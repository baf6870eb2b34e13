//===- HebbScan.cpp - the loop over a sequence: verifier and gradient -----===//
//
/// The gradient of a scan is backpropagation through time, derived from
/// the body, with nothing written per cell:
///   1. The forward loop is rebuilt to also stack each step's incoming
///      carries (its results replace the original's).
///   2. A loop the other way runs, per step, a copy of the body from that
///      step's input and incoming carries, then the body's adjoint
///      (ir/Adjoints.h) seeded with the step outputs' adjoints and the
///      adjoints carried from the step after. It yields the step inputs'
///      adjoints, carries the incoming carries' adjoints back, and carries
///      sums of the invariants' adjoints.
/// The body is recomputed rather than stored: the stacked carries are all
/// the memory the gradient adds.
//
//===----------------------------------------------------------------------===//

#include "ir/Adjoints.h"
#include "ir/HebbDialect.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace hebb;

namespace {

RankedTensorType tensorOf(Value v) {
  return v.getType().cast<RankedTensorType>();
}

/// `t` without its leading axis.
RankedTensorType stepType(RankedTensorType t) {
  return RankedTensorType::get(t.getShape().drop_front(), t.getElementType());
}

/// `t` with a leading axis of `n`.
RankedTensorType stackedType(int64_t n, RankedTensorType t) {
  SmallVector<int64_t> shape = {n};
  shape.append(t.getShape().begin(), t.getShape().end());
  return RankedTensorType::get(shape, t.getElementType());
}

} // namespace

int64_t ScanOp::getLength() {
  return tensorOf(getSequences().front()).getDimSize(0);
}

LogicalResult ScanOp::verify() {
  if (getSequences().empty())
    return emitOpError("needs at least one sequence to scan");
  int64_t length = -1;
  for (Value s : getSequences()) {
    auto t = tensorOf(s);
    if (t.getRank() < 1 || (length >= 0 && t.getDimSize(0) != length))
      return emitOpError("sequences must share a leading axis, got ") << t;
    length = t.getDimSize(0);
  }
  Block &body = getBody().front();
  SmallVector<Type> expected;
  for (Value s : getSequences())
    expected.push_back(stepType(tensorOf(s)));
  for (Value v : getCarries())
    expected.push_back(v.getType());
  for (Value v : getInvariants())
    expected.push_back(v.getType());
  if (TypeRange(body.getArgumentTypes()) != TypeRange(expected))
    return emitOpError("body arguments must be a step of each sequence, the "
                       "carries and the invariants, in that order");
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  const unsigned carries = getCarries().size();
  if (!yield || yield.getNumOperands() != getNumResults())
    return emitOpError("body must yield one value per result");
  const unsigned outputs = getNumStepOutputs();
  for (unsigned j = 0; j < carries; ++j)
    if (yield.getOperand(outputs + j).getType() != getCarries()[j].getType())
      return emitOpError("carry #")
             << j << " is yielded as "
             << yield.getOperand(outputs + j).getType() << ", not its own type";
  for (unsigned i = 0; i < getNumResults(); ++i) {
    Type want = i < outputs
                    ? Type(stackedType(length, tensorOf(yield.getOperand(i))))
                    : getCarries()[i - outputs].getType();
    if (getResult(i).getType() != want)
      return emitOpError("result #") << i << " must be " << want;
  }
  WalkResult random = body.walk([](Operation *op) {
    return isa<DropoutOp, RandomUniformOp>(op) ? WalkResult::interrupt()
                                               : WalkResult::advance();
  });
  if (random.wasInterrupted())
    return emitOpError("body draws random numbers, which every step would "
                       "repeat");
  return success();
}

namespace {

/// `scan` again, yielding each step's incoming carries after its outputs:
/// results (outputs, stacked carries in, last carries).
ScanOp withCarriesIn(OpBuilder &b, ScanOp scan) {
  const unsigned outputs = scan.getNumStepOutputs(),
                 carries = scan.getCarries().size();
  const int64_t length = scan.getLength();
  SmallVector<Type> types(TypeRange(scan.getResultTypes()).take_front(outputs));
  for (Value c : scan.getCarries())
    types.push_back(stackedType(length, tensorOf(c)));
  for (Value c : scan.getCarries())
    types.push_back(c.getType());
  auto again = b.create<ScanOp>(scan.getLoc(), types, scan.getSequences(),
                                scan.getCarries(), scan.getInvariants(),
                                scan.getReverseAttr());
  IRMapping map;
  scan.getBody().cloneInto(&again.getBody(), map);
  Block &body = again.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  SmallVector<Value> values(yield.getOperands().take_front(outputs));
  for (unsigned j = 0; j < carries; ++j)
    values.push_back(body.getArgument(scan.getSequences().size() + j));
  values.append(yield.getOperands().begin() + outputs,
                yield.getOperands().end());
  OpBuilder at(yield);
  at.create<YieldOp>(yield.getLoc(), values);
  yield.erase();
  return again;
}

} // namespace

LogicalResult ScanOp::buildGradients(OpBuilder &b, ValueRange grads,
                                     SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  const unsigned nSeq = getSequences().size(), nCarry = getCarries().size(),
                 nInv = getInvariants().size(), nOut = getNumStepOutputs();
  for (Value c : getCarries())
    if (!isFloatTensor(c))
      return emitOpError("cannot differentiate a scan with a carry that is "
                         "not f32");
  // 1. The forward loop, stacking the carries each step starts from.
  OpBuilder here(getOperation());
  ScanOp forward = withCarriesIn(here, *this);
  for (unsigned i = 0; i < nOut; ++i)
    getResult(i).replaceAllUsesWith(forward.getResult(i));
  for (unsigned j = 0; j < nCarry; ++j)
    getResult(nOut + j).replaceAllUsesWith(
        forward.getResult(nOut + nCarry + j));

  // 2. The loop back: sequences (inputs, carries in, output adjoints),
  //    carries (carry adjoints, invariant adjoint sums), the invariants.
  SmallVector<unsigned> seqGrads, invGrads;
  SmallVector<Value> seqs(getSequences()), carries(grads.drop_front(nOut));
  SmallVector<Type> types;
  for (unsigned i = 0; i < nSeq; ++i)
    if (isFloatTensor(getSequences()[i])) {
      seqGrads.push_back(i);
      types.push_back(getSequences()[i].getType());
    }
  for (unsigned j = 0; j < nCarry; ++j) {
    seqs.push_back(forward.getResult(nOut + j));
    types.push_back(getCarries()[j].getType());
  }
  for (unsigned i = 0; i < nOut; ++i)
    seqs.push_back(grads[i]);
  for (unsigned k = 0; k < nInv; ++k)
    if (isFloatTensor(getInvariants()[k])) {
      invGrads.push_back(k);
      carries.push_back(zerosLike(b, loc, getInvariants()[k]));
      types.push_back(getInvariants()[k].getType());
    }
  auto back = b.create<ScanOp>(loc, types, seqs, carries, getInvariants(),
                               b.getBoolAttr(!getReverse()));
  Block *body = new Block();
  back.getBody().push_back(body);
  for (Value s : seqs)
    body->addArgument(stepType(tensorOf(s)), loc);
  for (Value c : carries)
    body->addArgument(c.getType(), loc);
  for (Value w : getInvariants())
    body->addArgument(w.getType(), loc);

  // The body again, from this step's input and incoming carries.
  OpBuilder ib = OpBuilder::atBlockBegin(body);
  Block &fwd = getBody().front();
  IRMapping map;
  const unsigned stepsIn = nSeq + nCarry + nOut, carriesIn = stepsIn;
  for (unsigned i = 0; i < nSeq + nCarry; ++i)
    map.map(fwd.getArgument(i), body->getArgument(i));
  for (unsigned k = 0; k < nInv; ++k)
    map.map(fwd.getArgument(nSeq + nCarry + k),
            body->getArgument(carriesIn + nCarry + invGrads.size() + k));
  SmallVector<Operation *> ops;
  for (Operation &op : fwd.without_terminator())
    ops.push_back(ib.clone(op, map));
  auto yield = cast<YieldOp>(fwd.getTerminator());

  // Its adjoint, seeded by this step's output adjoints and the carries'.
  Adjoints adjoints{ib, llvm::DenseMap<Value, Value>()};
  for (unsigned i = 0; i < nOut; ++i)
    if (isFloatTensor(yield.getOperand(i)))
      adjoints.accumulate(map.lookupOrDefault(yield.getOperand(i)),
                          body->getArgument(nSeq + nCarry + i));
  for (unsigned j = 0; j < nCarry; ++j)
    adjoints.accumulate(map.lookupOrDefault(yield.getOperand(nOut + j)),
                        body->getArgument(carriesIn + j));
  for (Operation *op : llvm::reverse(ops))
    if (failed(adjoints.visit(op)))
      return failure();
  SmallVector<Value> values;
  for (unsigned i : seqGrads)
    values.push_back(adjoints.orZeros(body->getArgument(i), loc));
  for (unsigned j = 0; j < nCarry; ++j)
    values.push_back(adjoints.orZeros(body->getArgument(nSeq + j), loc));
  for (auto [n, k] : llvm::enumerate(invGrads))
    values.push_back(ib.create<AddOp>(
        loc, body->getArgument(carriesIn + nCarry + n),
        adjoints.orZeros(
            body->getArgument(carriesIn + nCarry + invGrads.size() + k), loc)));
  ib.create<YieldOp>(loc, values);

  out.assign(getNumOperands(), Value());
  for (auto [n, i] : llvm::enumerate(seqGrads))
    out[i] = back.getResult(n);
  for (unsigned j = 0; j < nCarry; ++j)
    out[nSeq + j] = back.getResult(seqGrads.size() + j);
  for (auto [n, k] : llvm::enumerate(invGrads))
    out[nSeq + nCarry + k] = back.getResult(seqGrads.size() + nCarry + n);
  return success();
}
