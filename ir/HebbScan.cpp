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

namespace {

/// How the adjoint of an invariant leaves the backward loop. Summed over
/// the steps in a carry by default; a sum of per-step products
/// `aᵀ·b` (a weight's adjoint) is instead one product of the stacked a and
/// b after the loop, and a per-step `reduce_sum` over the batch (a bias's)
/// one reduction of the stacked operand: no per-step accumulation, and one
/// large product instead of T small ones.
struct InvariantAdjoint {
  unsigned invariant;
  MatmulOp product; // aᵀ·b of two step values, or null
  ReduceSumOp sum;  // a reduction over axis 0 of a step value, or null
  Value carried;    // the adjoint to sum in a carry otherwise
};

/// Whether `v` changes from step to step: computed in `body` from
/// anything but invariants (or a step's own input).
bool perStep(Value v, Block *body, unsigned firstInvariant) {
  if (auto arg = v.dyn_cast<BlockArgument>())
    return arg.getOwner() == body && arg.getArgNumber() < firstInvariant;
  return v.getParentBlock() == body;
}

InvariantAdjoint classify(unsigned k, Value adjoint, Block *body,
                          unsigned firstInvariant) {
  InvariantAdjoint a{k, MatmulOp(), ReduceSumOp(), adjoint};
  if (auto m = adjoint.getDefiningOp<MatmulOp>())
    if (m.getTransposeLhs() && !m.getTransposeRhs() &&
        tensorOf(m.getLhs()).getRank() == 2 &&
        perStep(m.getLhs(), body, firstInvariant) &&
        perStep(m.getRhs(), body, firstInvariant))
      a.product = m;
  if (auto r = adjoint.getDefiningOp<ReduceSumOp>())
    if (!r.getKeepdims() && llvm::is_contained(r.getAxes(), 0) &&
        perStep(r.getOperand(), body, firstInvariant))
      a.sum = r;
  return a;
}

/// [T, d0, d1, ...] as [T·d0, d1, ...].
Value mergeLeading(OpBuilder &b, Location loc, Value v) {
  ArrayRef<int64_t> s = tensorOf(v).getShape();
  SmallVector<int64_t> shape = {s[0] * s[1]};
  shape.append(s.begin() + 2, s.end());
  return b.create<ReshapeOp>(
      loc, RankedTensorType::get(shape, tensorOf(v).getElementType()), v);
}

} // namespace

LogicalResult ScanOp::buildGradients(OpBuilder &b, ValueRange grads,
                                     SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  const unsigned nSeq = getSequences().size(), nCarry = getCarries().size(),
                 nInv = getInvariants().size(), nOut = getNumStepOutputs();
  const int64_t length = getLength();
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

  // 2. The loop back over sequences (inputs, carries in, output adjoints)
  //    with the carries' adjoints as its carries and the invariants.
  SmallVector<Value> seqs(getSequences());
  for (unsigned j = 0; j < nCarry; ++j)
    seqs.push_back(forward.getResult(nOut + j));
  seqs.append(grads.begin(), grads.begin() + nOut);
  // Built in a placeholder's region (ops need one), then moved to the loop
  // once its results are known.
  auto draft = b.create<ScanOp>(loc, TypeRange(), seqs, ValueRange(),
                                ValueRange(), b.getBoolAttr(!getReverse()));
  Block *body = new Block();
  draft.getBody().push_back(body);
  for (Value s : seqs)
    body->addArgument(stepType(tensorOf(s)), loc);
  for (unsigned j = 0; j < nCarry; ++j)
    body->addArgument(grads[nOut + j].getType(), loc);
  const unsigned firstInvariant = nSeq + nCarry + nOut + nCarry;
  for (Value w : getInvariants())
    body->addArgument(w.getType(), loc);

  // The body again, from this step's input and incoming carries.
  OpBuilder ib = OpBuilder::atBlockBegin(body);
  Block &fwd = getBody().front();
  IRMapping map;
  for (unsigned i = 0; i < nSeq + nCarry; ++i)
    map.map(fwd.getArgument(i), body->getArgument(i));
  for (unsigned k = 0; k < nInv; ++k)
    map.map(fwd.getArgument(nSeq + nCarry + k),
            body->getArgument(firstInvariant + k));
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
                        body->getArgument(nSeq + nCarry + nOut + j));
  for (Operation *op : llvm::reverse(ops))
    if (failed(adjoints.visit(op)))
      return failure();

  // Step outputs: the f32 inputs' adjoints, then the stacked operands of
  // hoisted invariant adjoints (each value once).
  SmallVector<Value> stepValues;
  SmallVector<unsigned> seqGrads;
  for (unsigned i = 0; i < nSeq; ++i)
    if (isFloatTensor(getSequences()[i])) {
      seqGrads.push_back(i);
      stepValues.push_back(adjoints.orZeros(body->getArgument(i), loc));
    }
  // A step value stacked over the steps: a sequence the loop reads as it
  // is, else a step output (each value once).
  struct Stacked {
    Value sequence;
    unsigned output = 0;
  };
  auto stepOutput = [&](Value v) {
    auto arg = v.dyn_cast<BlockArgument>();
    if (arg && arg.getArgNumber() < seqs.size())
      return Stacked{seqs[arg.getArgNumber()]};
    auto *at = llvm::find(stepValues, v);
    if (at == stepValues.end())
      at = stepValues.insert(stepValues.end(), v);
    return Stacked{Value(), unsigned(at - stepValues.begin())};
  };
  SmallVector<InvariantAdjoint> invAdjoints;
  SmallVector<std::pair<Stacked, Stacked>> productOutputs;
  SmallVector<Stacked> sumOutputs;
  for (unsigned k = 0; k < nInv; ++k) {
    Value w = body->getArgument(firstInvariant + k);
    if (!isFloatTensor(w))
      continue;
    InvariantAdjoint a =
        classify(k, adjoints.orZeros(w, loc), body, firstInvariant);
    productOutputs.push_back({});
    sumOutputs.push_back({});
    if (a.product)
      productOutputs.back() = {stepOutput(a.product.getLhs()),
                               stepOutput(a.product.getRhs())};
    else if (a.sum)
      sumOutputs.back() = stepOutput(a.sum.getOperand());
    invAdjoints.push_back(a);
  }
  // Carries: the carries' adjoints, then sums of the other invariants'.
  SmallVector<Value> values(stepValues), carries(grads.drop_front(nOut));
  for (unsigned j = 0; j < nCarry; ++j)
    values.push_back(adjoints.orZeros(body->getArgument(nSeq + j), loc));
  SmallVector<unsigned> carried;
  for (auto [n, a] : llvm::enumerate(invAdjoints)) {
    if (a.product || a.sum)
      continue;
    Value w = getInvariants()[a.invariant];
    carries.push_back(zerosLike(b, loc, w));
    BlockArgument acc =
        body->insertArgument(firstInvariant + carried.size(), w.getType(), loc);
    values.push_back(ib.create<AddOp>(loc, acc, a.carried));
    carried.push_back(n);
  }
  ib.create<YieldOp>(loc, values);

  SmallVector<Type> types;
  for (Value v : stepValues)
    types.push_back(stackedType(length, tensorOf(v)));
  for (Value v : carries)
    types.push_back(v.getType());
  auto back = b.create<ScanOp>(loc, types, seqs, carries, getInvariants(),
                               b.getBoolAttr(!getReverse()));
  back.getBody().takeBody(draft.getBody());
  draft.erase();

  // The operands' adjoints; hoisted ones computed from the stacked values.
  out.assign(getNumOperands(), Value());
  for (auto [n, i] : llvm::enumerate(seqGrads))
    out[i] = back.getResult(n);
  const unsigned firstCarry = stepValues.size();
  for (unsigned j = 0; j < nCarry; ++j)
    out[nSeq + j] = back.getResult(firstCarry + j);
  auto stacked = [&](const Stacked &s) {
    return s.sequence ? s.sequence : back.getResult(s.output);
  };
  for (auto [n, a] : llvm::enumerate(invAdjoints)) {
    Value &g = out[nSeq + nCarry + a.invariant];
    if (a.product) {
      auto [l, r] = productOutputs[n];
      g = b.create<MatmulOp>(loc, mergeLeading(b, loc, stacked(l)),
                             mergeLeading(b, loc, stacked(r)),
                             b.getBoolAttr(true), b.getBoolAttr(false));
    } else if (a.sum) {
      SmallVector<int64_t> axes = {0};
      for (int64_t axis : a.sum.getAxes())
        axes.push_back(axis + 1);
      g = b.create<ReduceSumOp>(loc, stacked(sumOutputs[n]),
                                b.getDenseI64ArrayAttr(axes),
                                b.getBoolAttr(false));
    }
  }
  for (auto [c, n] : llvm::enumerate(carried))
    out[nSeq + nCarry + invAdjoints[n].invariant] =
        back.getResult(firstCarry + nCarry + c);
  return success();
}
