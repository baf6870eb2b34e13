//===- Losses.cpp - the training losses, one table ------------------------===//
//
// Each loss is a composition of hebb ops: mean or sum over the batch as
// PyTorch's reduction, with PyTorch's (or, for categorical_crossentropy,
// Keras') numerical safeguards.
//
//===----------------------------------------------------------------------===//

#include "frontend/Losses.h"

#include "ir/HebbDialect.h"

#include <cmath>

using namespace mlir;

namespace hebb::frontend {

namespace {

/// Hebb op helpers for building losses.
class LossBuilder {
public:
  LossBuilder(OpBuilder &b, Location loc, Value out)
      : b(b), loc(loc), out(out), type(out.getType().cast<RankedTensorType>()) {
  }

  Value splat(Value like, double v) {
    auto t = like.getType().cast<RankedTensorType>();
    return b.create<ConstantOp>(loc, DenseElementsAttr::get(t, (float)v));
  }
  Value sumAll(Value v) {
    auto t = v.getType().cast<RankedTensorType>();
    SmallVector<int64_t> axes;
    for (int64_t i = 0; i < t.getRank(); ++i)
      axes.push_back(i);
    return b.create<ReduceSumOp>(loc, v, b.getDenseI64ArrayAttr(axes),
                                 b.getBoolAttr(false));
  }
  /// Sum (or mean over `count` items) of all elements of `v`.
  Value reduce(Value v, bool mean, int64_t count) {
    Value s = sumAll(v);
    if (!mean)
      return s;
    return b.create<MulOp>(loc, s, splat(s, 1.0 / (double)count));
  }
  /// The class axis: the last ([B, C], or [B, T, C] for a class per step).
  int64_t classAxis() const { return type.getRank() - 1; }
  /// Per-position sum over the class axis of t * v: [B, ..., C] -> [B, ...].
  Value rowDot(Value t, Value v) {
    Value p = b.create<MulOp>(loc, t, v);
    return b.create<ReduceSumOp>(loc, p, b.getDenseI64ArrayAttr({classAxis()}),
                                 b.getBoolAttr(false));
  }
  /// max(log p, -100) without a 0/0 in its derivative: the log only sees
  /// arguments above e^-100 and the clamped branch is a constant.
  Value logAtLeast100(Value p) {
    Value tiny = splat(p, std::exp(-100.0));
    Value ok = b.create<CompareOp>(loc, CmpPredicate::gt, p, tiny);
    Value safe = b.create<SelectOp>(loc, ok, p, splat(p, 1));
    return b.create<SelectOp>(loc, ok, b.create<LogOp>(loc, safe),
                              splat(p, -100));
  }
  Value clampLog(Value p, double lo, double hi) {
    Value c = b.create<MinimumOp>(
        loc, b.create<MaximumOp>(loc, p, splat(p, lo)), splat(p, hi));
    return b.create<LogOp>(loc, c);
  }

  /// Sum or mean over every element of the output.
  Value overElements(Value v, bool mean) {
    return reduce(v, mean, type.getNumElements());
  }
  /// -(sum or mean over samples, and the positions of each) of
  /// per-position values.
  Value negOverSamples(Value perPosition, bool mean) {
    auto t = perPosition.getType().cast<RankedTensorType>();
    return b.create<NegOp>(loc, reduce(perPosition, mean, t.getNumElements()));
  }
  /// Labels as class distributions: one-hot of indices, else as given.
  Value asDistribution(Value labels) {
    auto lt = labels.getType().cast<RankedTensorType>();
    if (lt.getElementType().isF32())
      return labels;
    return b.create<OneHotOp>(
        loc, labels, b.getI64IntegerAttr(type.getDimSize(classAxis())));
  }

  OpBuilder &b;
  Location loc;
  Value out;
  RankedTensorType type;
};

Value squares(OpBuilder &b, Location loc, Value out, Value labels, bool mean) {
  LossBuilder lb(b, loc, out);
  Value d = b.create<SubOp>(loc, out, labels);
  return lb.overElements(b.create<MulOp>(loc, d, d), mean);
}

Value absolute(OpBuilder &b, Location loc, Value out, Value labels, bool mean) {
  LossBuilder lb(b, loc, out);
  return lb.overElements(
      b.create<AbsOp>(loc, b.create<SubOp>(loc, out, labels)), mean);
}

/// -(t log p + (1 - t) log(1 - p)), logs clamped at -100 like PyTorch.
Value bce(OpBuilder &b, Location loc, Value out, Value labels, bool mean) {
  LossBuilder lb(b, loc, out);
  Value one = lb.splat(out, 1);
  Value logP = lb.logAtLeast100(out);
  Value log1mP = lb.logAtLeast100(b.create<SubOp>(loc, one, out));
  Value term = b.create<AddOp>(
      loc, b.create<MulOp>(loc, labels, logP),
      b.create<MulOp>(loc, b.create<SubOp>(loc, one, labels), log1mP));
  return b.create<NegOp>(loc, lb.overElements(term, mean));
}

/// max(z, 0) - z t + log(1 + exp(-|z|)), stable for any z.
Value bceWithLogits(OpBuilder &b, Location loc, Value out, Value labels,
                    bool mean) {
  LossBuilder lb(b, loc, out);
  Value negAbs = b.create<NegOp>(loc, b.create<AbsOp>(loc, out));
  Value softplus =
      b.create<LogOp>(loc, b.create<AddOp>(loc, lb.splat(out, 1),
                                           b.create<ExpOp>(loc, negAbs)));
  Value term = b.create<AddOp>(
      loc,
      b.create<SubOp>(loc, b.create<MaximumOp>(loc, out, lb.splat(out, 0)),
                      b.create<MulOp>(loc, out, labels)),
      softplus);
  return lb.overElements(term, mean);
}

Value softmaxCrossEntropy(OpBuilder &b, Location loc, Value out, Value labels,
                          bool mean) {
  LossBuilder lb(b, loc, out);
  Value logProbs =
      b.create<LogSoftmaxOp>(loc, out, b.getI64IntegerAttr(lb.classAxis()));
  return lb.negOverSamples(lb.rowDot(lb.asDistribution(labels), logProbs),
                           mean);
}

/// On log-probabilities (a log_softmax output).
Value nll(OpBuilder &b, Location loc, Value out, Value labels, bool mean) {
  LossBuilder lb(b, loc, out);
  return lb.negOverSamples(lb.rowDot(lb.asDistribution(labels), out), mean);
}

/// On probabilities (a softmax output), clipped to [1e-7, 1 - 1e-7] like
/// Keras.
Value categoricalCrossEntropy(OpBuilder &b, Location loc, Value out,
                              Value labels, bool mean) {
  LossBuilder lb(b, loc, out);
  Value logProbs = lb.clampLog(out, 1e-7, 1 - 1e-7);
  return lb.negOverSamples(lb.rowDot(lb.asDistribution(labels), logProbs),
                           mean);
}

constexpr LossInfo kLosses[] = {
#define HEBB_LOSS(name, builder, indexLabels, classes, alwaysSum, prob)        \
  {name, indexLabels, classes, alwaysSum, prob, builder},
#include "frontend/Tables.def"
};

} // namespace

const LossInfo *findLoss(const std::string &name) {
  for (const LossInfo &l : kLosses)
    if (name == l.name)
      return &l;
  return nullptr;
}

std::vector<std::string> lossNames() {
  std::vector<std::string> names;
  for (const LossInfo &l : kLosses)
    names.push_back(l.name);
  return names;
}

} // namespace hebb::frontend
