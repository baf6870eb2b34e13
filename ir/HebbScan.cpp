//===- HebbScan.cpp - the loop over a sequence: verifier and gradient -----===//
//
/// The gradient of a scan is backpropagation through time, derived from
/// the body, with nothing written per cell:
///   1. A copy of the body, in a new body, from each step's input and
///      incoming carries; the body's adjoint (ir/Adjoints.h) after it,
///      seeded with the step outputs' adjoints and the adjoints carried
///      from the step after.
///   2. The forward values that adjoint reads become step inputs instead
///      (residuals), and the copy goes: no step is computed twice.
///   3. The forward loop is rebuilt to also stack each step's incoming
///      carries and the residuals (its results replace the original's).
///   4. The new body runs in a loop the other way. It yields the step
///      inputs' adjoints and carries the incoming carries' adjoints back.
///      An invariant's adjoint is summed in a carry, or, when it is a sum
///      of per-step products aᵀ·b (a weight's) or reductions over the
///      batch (a bias's), computed once from stacked step values after the
///      loop.
//===----------------------------------------------------------------------===//

#include "ir/Adjoints.h"
#include "ir/HebbDialect.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallPtrSet.h"

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

/// `scan` again, also yielding each step's incoming carries and the values
/// `stashed` (of its body): results (outputs, stacked carries in, stacked
/// stashed values, last carries).
ScanOp withResiduals(OpBuilder &b, ScanOp scan, ArrayRef<Value> stashed) {
  const unsigned outputs = scan.getNumStepOutputs(),
                 carries = scan.getCarries().size();
  const int64_t length = scan.getLength();
  SmallVector<Type> types(TypeRange(scan.getResultTypes()).take_front(outputs));
  for (Value c : scan.getCarries())
    types.push_back(stackedType(length, tensorOf(c)));
  for (Value v : stashed)
    types.push_back(stackedType(length, tensorOf(v)));
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
  for (Value v : stashed)
    values.push_back(map.lookup(v));
  values.append(yield.getOperands().begin() + outputs,
                yield.getOperands().end());
  OpBuilder at(yield);
  at.create<YieldOp>(yield.getLoc(), values);
  yield.erase();
  return again;
}

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

/// The copy of the forward body in the backward body: the values its
/// adjoint reads become step inputs (`residuals`, stacked by the forward
/// loop) and the copy is erased, so no step is computed twice. Constants
/// stay. Returns the forward values to stash, in argument order from
/// `position`.
SmallVector<Value> takeResiduals(Block *body, ArrayRef<Operation *> copies,
                                 const IRMapping &toCopy, Block &forward,
                                 unsigned position) {
  llvm::DenseMap<Value, Value> original;
  for (Operation &op : forward.without_terminator())
    for (Value r : op.getResults())
      original[toCopy.lookup(r)] = r;
  llvm::SmallPtrSet<Operation *, 32> copied(copies.begin(), copies.end());
  SmallVector<Value> stashed;
  for (Operation *op : copies) {
    if (op->hasTrait<mlir::OpTrait::ConstantLike>())
      continue;
    for (Value r : op->getResults()) {
      auto outside = [&](OpOperand &use) {
        return !copied.contains(use.getOwner());
      };
      if (llvm::none_of(r.getUses(), outside))
        continue;
      Value arg = body->insertArgument(position + stashed.size(), r.getType(),
                                       r.getLoc());
      r.replaceUsesWithIf(arg, outside);
      stashed.push_back(original.lookup(r));
    }
  }
  for (Operation *op : llvm::reverse(copies))
    if (op->use_empty())
      op->erase();
  return stashed;
}

} // namespace

/// The steps of the gradient (the file comment's 1 and 2), with the forward
/// loop built last: what it stashes is known once the adjoint is.
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
  // The backward body, built in a placeholder's region (ops need one) and
  // moved to the loop once its operands and results are known. Arguments:
  // steps of (inputs, carries in, output adjoints, residuals), carries
  // (carry adjoints, invariant adjoint sums), invariants.
  auto draft = b.create<ScanOp>(loc, TypeRange(), ValueRange(), ValueRange(),
                                ValueRange(), b.getBoolAttr(!getReverse()));
  Block *body = new Block();
  draft.getBody().push_back(body);
  Block &fwd = getBody().front();
  for (BlockArgument a : fwd.getArguments().take_front(nSeq + nCarry))
    body->addArgument(a.getType(), loc);
  for (unsigned i = 0; i < nOut; ++i)
    body->addArgument(stepType(tensorOf(grads[i])), loc);
  for (unsigned j = 0; j < nCarry; ++j)
    body->addArgument(grads[nOut + j].getType(), loc);
  for (Value w : getInvariants())
    body->addArgument(w.getType(), loc);
  auto invariantArg = [&](unsigned k) {
    return body->getArgument(body->getNumArguments() - nInv + k);
  };

  // The body again, from this step's input and incoming carries.
  OpBuilder ib = OpBuilder::atBlockBegin(body);
  IRMapping map;
  for (unsigned i = 0; i < nSeq + nCarry; ++i)
    map.map(fwd.getArgument(i), body->getArgument(i));
  for (unsigned k = 0; k < nInv; ++k)
    map.map(fwd.getArgument(nSeq + nCarry + k), invariantArg(k));
  SmallVector<Operation *> copies;
  for (Operation &op : fwd.without_terminator())
    copies.push_back(ib.clone(op, map));
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
  for (Operation *op : llvm::reverse(copies))
    if (failed(adjoints.visit(op)))
      return failure();
  SmallVector<Value> seqGradValues, carryGradValues;
  SmallVector<unsigned> seqGrads;
  for (unsigned i = 0; i < nSeq; ++i)
    if (isFloatTensor(getSequences()[i])) {
      seqGrads.push_back(i);
      seqGradValues.push_back(adjoints.orZeros(body->getArgument(i), loc));
    }
  for (unsigned j = 0; j < nCarry; ++j)
    carryGradValues.push_back(
        adjoints.orZeros(body->getArgument(nSeq + j), loc));
  SmallVector<Value> invGradValues;
  for (unsigned k = 0; k < nInv; ++k)
    invGradValues.push_back(isFloatTensor(invariantArg(k))
                                ? adjoints.orZeros(invariantArg(k), loc)
                                : Value());
  // A provisional yield holds the adjoints while residuals replace the
  // forward values they read (an adjoint may be one of them).
  SmallVector<Value> held(seqGradValues);
  held.append(carryGradValues);
  for (Value v : invGradValues)
    if (v)
      held.push_back(v);
  auto hold = ib.create<YieldOp>(loc, held);
  SmallVector<Value> stashed =
      takeResiduals(body, copies, map, fwd, nSeq + nCarry + nOut);
  {
    unsigned at = 0;
    for (Value &v : seqGradValues)
      v = hold.getOperand(at++);
    for (Value &v : carryGradValues)
      v = hold.getOperand(at++);
    for (Value &v : invGradValues)
      if (v)
        v = hold.getOperand(at++);
    hold.erase();
  }
  const unsigned nRes = stashed.size(),
                 firstInvariant = nSeq + nCarry + nOut + nRes + nCarry;

  // Step outputs: the f32 inputs' adjoints, then the stacked operands of
  // hoisted invariant adjoints: a sequence the loop reads (by argument),
  // else a step output (each value once).
  SmallVector<Value> stepValues(seqGradValues);
  struct Stacked {
    int sequence = -1;
    unsigned output = 0;
  };
  auto stepOutput = [&](Value v) {
    auto arg = v.dyn_cast<BlockArgument>();
    if (arg && arg.getArgNumber() < nSeq + nCarry + nOut + nRes)
      return Stacked{int(arg.getArgNumber())};
    auto *at = llvm::find(stepValues, v);
    if (at == stepValues.end())
      at = stepValues.insert(stepValues.end(), v);
    return Stacked{-1, unsigned(at - stepValues.begin())};
  };
  SmallVector<InvariantAdjoint> invAdjoints;
  SmallVector<std::pair<Stacked, Stacked>> productOutputs;
  SmallVector<Stacked> sumOutputs;
  for (unsigned k = 0; k < nInv; ++k) {
    if (!invGradValues[k])
      continue;
    InvariantAdjoint a = classify(k, invGradValues[k], body, firstInvariant);
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
  values.append(carryGradValues);
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
  ib.setInsertionPointToEnd(body);
  ib.create<YieldOp>(loc, values);

  // The forward loop, stacking the carries each step starts from and the
  // residuals it does not already output; its results replace this loop's.
  SmallVector<Value> fresh;
  SmallVector<int> outputOf; // the step output a residual is, or -1
  for (Value v : stashed) {
    outputOf.push_back(-1);
    for (unsigned i = 0; i < nOut && outputOf.back() < 0; ++i)
      if (yield.getOperand(i) == v)
        outputOf.back() = int(i);
    if (outputOf.back() < 0)
      fresh.push_back(v);
  }
  OpBuilder here(getOperation());
  ScanOp forward = withResiduals(here, *this, fresh);
  const unsigned nFresh = fresh.size();
  for (unsigned i = 0; i < nOut; ++i)
    getResult(i).replaceAllUsesWith(forward.getResult(i));
  for (unsigned j = 0; j < nCarry; ++j)
    getResult(nOut + j).replaceAllUsesWith(
        forward.getResult(nOut + nCarry + nFresh + j));

  SmallVector<Value> seqs(getSequences());
  for (unsigned j = 0; j < nCarry; ++j)
    seqs.push_back(forward.getResult(nOut + j));
  for (unsigned r = 0, f = 0; r < nRes; ++r)
    seqs.push_back(outputOf[r] >= 0 ? forward.getResult(outputOf[r])
                                    : forward.getResult(nOut + nCarry + f++));
  seqs.insert(seqs.begin() + nSeq + nCarry, grads.begin(),
              grads.begin() + nOut);
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
    return s.sequence >= 0 ? seqs[s.sequence] : back.getResult(s.output);
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

//===----------------------------------------------------------------------===//
// Canonicalization
//===----------------------------------------------------------------------===//

namespace {

/// A copy of `scan` with the invariants `invariants`, the body moved into
/// it: the caller fixes the body's arguments to match.
ScanOp rebuild(PatternRewriter &rw, ScanOp scan, ArrayRef<Value> sequences,
               ArrayRef<Value> invariants) {
  auto again =
      rw.create<ScanOp>(scan.getLoc(), scan.getResultTypes(), sequences,
                        scan.getCarries(), invariants, scan.getReverseAttr());
  again.getBody().takeBody(scan.getBody());
  return again;
}

/// An invariant that is transpose(x) of a matrix, read in the body (also)
/// by matmuls that transpose it back: they read x instead, as a new
/// invariant. With a recurrent weight W the forward step multiplies by Wᵀ
/// and its adjoint by W, each then read in the layout the product wants.
struct ReadTransposedInvariantsDirectly : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScanOp scan,
                                PatternRewriter &rw) const override {
    const unsigned first =
        scan.getSequences().size() + scan.getCarries().size();
    Block &body = scan.getBody().front();
    for (auto [k, w] : llvm::enumerate(scan.getInvariants())) {
      auto t = w.getDefiningOp<TransposeOp>();
      if (!t || t.getPermutation() != ArrayRef<int64_t>{1, 0})
        continue;
      SmallVector<OpOperand *> flips;
      for (OpOperand &use : body.getArgument(first + k).getUses())
        if (auto m = dyn_cast<MatmulOp>(use.getOwner()))
          if (use.getOperandNumber() == 1 ? m.getTransposeRhs()
                                          : m.getTransposeLhs())
            flips.push_back(&use);
      if (flips.empty())
        continue;
      SmallVector<Value> invariants(scan.getInvariants());
      invariants.push_back(t.getOperand());
      ScanOp again = rebuild(rw, scan, SmallVector<Value>(scan.getSequences()),
                             invariants);
      Block &moved = again.getBody().front();
      Value x = moved.addArgument(t.getOperand().getType(), scan.getLoc());
      for (OpOperand *use : flips) {
        auto m = cast<MatmulOp>(use->getOwner());
        rw.updateRootInPlace(m, [&] {
          if (use->getOperandNumber() == 1)
            m.setTransposeRhs(false);
          else
            m.setTransposeLhs(false);
          use->set(x);
        });
      }
      rw.replaceOp(scan, again.getResults());
      return success();
    }
    return failure();
  }
};

/// Sequences (but one) and invariants the body never reads are dropped.
struct DropUnreadOperands : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScanOp scan,
                                PatternRewriter &rw) const override {
    Block &body = scan.getBody().front();
    const unsigned nSeq = scan.getSequences().size(),
                   first = nSeq + scan.getCarries().size();
    SmallVector<unsigned> unread;
    SmallVector<Value> sequences, invariants;
    for (auto [i, s] : llvm::enumerate(scan.getSequences())) {
      bool keep = !body.getArgument(i).use_empty() ||
                  (sequences.empty() && i + 1 == nSeq);
      (keep ? sequences.push_back(s) : unread.push_back(i));
    }
    for (auto [k, w] : llvm::enumerate(scan.getInvariants())) {
      bool keep = !body.getArgument(first + k).use_empty();
      (keep ? invariants.push_back(w) : unread.push_back(first + k));
    }
    if (unread.empty())
      return failure();
    ScanOp again = rebuild(rw, scan, sequences, invariants);
    for (unsigned i : llvm::reverse(unread))
      again.getBody().front().eraseArgument(i);
    rw.replaceOp(scan, again.getResults());
    return success();
  }
};

} // namespace

void ScanOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *ctx) {
  results.add<ReadTransposedInvariantsDirectly, DropUnreadOperands>(ctx);
}
