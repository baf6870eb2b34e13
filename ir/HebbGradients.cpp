//===- HebbGradients.cpp - reverse-mode derivative of every op ------------===//
//
// buildGradients of DifferentiableOpInterface: given the adjoint `g` of an
// op's result, emit hebb ops computing the adjoint of each operand. The
// formulas follow PyTorch's derivatives (ties of max/min split evenly,
// abs'(0) = 0, relu'(0) = 0) so trained parameters agree with it.
//
//===----------------------------------------------------------------------===//

#include "ir/HebbDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/SmallSet.h"

#include <cmath>

using namespace mlir;
using namespace hebb;

#include "ir/HebbInterfaces.cpp.inc"

namespace {

RankedTensorType typeOf(Value v) {
  return v.getType().cast<RankedTensorType>();
}

/// A constant of `type`'s shape with every element `value`.
Value splat(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  return b.create<ConstantOp>(loc, DenseElementsAttr::get(type, (float)value));
}

Value splatLike(OpBuilder &b, Location loc, Value like, double value) {
  return splat(b, loc, typeOf(like), value);
}

/// `value` (a reduction result over `axes` of a `full`-shaped tensor,
/// with or without kept dims) broadcast back to `full`.
Value broadcastBack(OpBuilder &b, Location loc, Value value,
                    RankedTensorType full, ArrayRef<int64_t> axes) {
  llvm::SmallSet<int64_t, 4> reduced;
  reduced.insert(axes.begin(), axes.end());
  SmallVector<int64_t> keptShape, dims;
  for (int64_t i = 0; i < full.getRank(); ++i)
    if (!reduced.count(i)) {
      keptShape.push_back(full.getDimSize(i));
      dims.push_back(i);
    }
  auto keptType = RankedTensorType::get(keptShape, full.getElementType());
  if (typeOf(value) != keptType)
    value = b.create<ReshapeOp>(loc, keptType, value);
  auto fullType =
      RankedTensorType::get(full.getShape(), typeOf(value).getElementType());
  return b.create<BroadcastInDimOp>(loc, fullType, value,
                                    b.getDenseI64ArrayAttr(dims));
}

Value mask(OpBuilder &b, Location loc, CmpPredicate pred, Value x, Value y) {
  return b.create<CompareOp>(loc, pred, x, y);
}

/// g where `cond`, 0 elsewhere.
Value where(OpBuilder &b, Location loc, Value cond, Value g) {
  return b.create<SelectOp>(loc, cond, g, splatLike(b, loc, g, 0));
}

/// The adjoint of maximum/minimum for the `self` side: g where self wins,
/// g / 2 on ties, 0 where it loses.
Value extremumGrad(OpBuilder &b, Location loc, CmpPredicate wins, Value self,
                   Value other, Value g) {
  Value half = b.create<MulOp>(loc, g, splatLike(b, loc, g, 0.5));
  Value won = where(b, loc, mask(b, loc, wins, self, other), g);
  return b.create<SelectOp>(loc, mask(b, loc, CmpPredicate::eq, self, other),
                            half, won);
}

/// The adjoint of a one-operand op.
LogicalResult single(SmallVectorImpl<Value> &out, Value grad) {
  out.push_back(grad);
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

#define HEBB_GRAD(Op)                                                          \
  LogicalResult Op::buildGradients(OpBuilder &b, ValueRange grads,             \
                                   SmallVectorImpl<Value> &out)

HEBB_GRAD(NegOp) { return single(out, b.create<NegOp>(getLoc(), grads[0])); }

HEBB_GRAD(AbsOp) {
  Location loc = getLoc();
  Value x = getOperand(), g = grads[0];
  Value pos = where(
      b, loc, mask(b, loc, CmpPredicate::gt, x, splatLike(b, loc, x, 0)), g);
  Value neg = where(
      b, loc, mask(b, loc, CmpPredicate::lt, x, splatLike(b, loc, x, 0)), g);
  return single(out, b.create<SubOp>(loc, pos, neg));
}

HEBB_GRAD(ExpOp) {
  return single(out, b.create<MulOp>(getLoc(), grads[0], getResult()));
}

HEBB_GRAD(LogOp) {
  return single(out, b.create<DivOp>(getLoc(), grads[0], getOperand()));
}

HEBB_GRAD(TanhOp) {
  Location loc = getLoc();
  Value y = getResult();
  Value y2 = b.create<MulOp>(loc, y, y);
  Value d = b.create<SubOp>(loc, splatLike(b, loc, y, 1), y2);
  return single(out, b.create<MulOp>(loc, grads[0], d));
}

HEBB_GRAD(SigmoidOp) {
  Location loc = getLoc();
  Value y = getResult();
  Value d =
      b.create<MulOp>(loc, y, b.create<SubOp>(loc, splatLike(b, loc, y, 1), y));
  return single(out, b.create<MulOp>(loc, grads[0], d));
}

HEBB_GRAD(ErfOp) {
  // erf'(x) = 2 / sqrt(pi) e^(-x^2)
  Location loc = getLoc();
  Value x = getOperand();
  Value e =
      b.create<ExpOp>(loc, b.create<NegOp>(loc, b.create<MulOp>(loc, x, x)));
  Value d = b.create<MulOp>(loc, e, splatLike(b, loc, x, 1.1283791670955126));
  return single(out, b.create<MulOp>(loc, grads[0], d));
}

HEBB_GRAD(GeluOp) {
  Location loc = getLoc();
  Value x = getOperand();
  auto c = [&](double v) { return splatLike(b, loc, x, v); };
  auto mul = [&](Value p, Value q) -> Value {
    return b.create<MulOp>(loc, p, q);
  };
  auto add = [&](Value p, Value q) -> Value {
    return b.create<AddOp>(loc, p, q);
  };
  Value x2 = mul(x, x), d;
  if (!isTanh()) {
    // Phi(x) + x phi(x) = (1 + erf(x / sqrt 2)) / 2 + x e^(-x^2/2) / sqrt(2 pi)
    Value phi =
        mul(c(0.5), add(c(1), b.create<ErfOp>(loc, mul(x, c(M_SQRT1_2)))));
    Value density = b.create<ExpOp>(loc, mul(x2, c(-0.5)));
    d = add(phi, mul(mul(x, density), c(0.3989422804014327)));
  } else {
    // t = tanh(k (x + a x^3)): (1 + t) / 2 + x (1 - t^2) k (1 + 3 a x^2) / 2
    const double k = 0.7978845608028654, a = 0.044715;
    Value t = b.create<TanhOp>(loc, mul(c(k), add(x, mul(c(a), mul(x2, x)))));
    Value sech2 = b.create<SubOp>(loc, c(1), mul(t, t));
    Value inner = mul(c(0.5 * k), add(c(1), mul(c(3 * a), x2)));
    d = add(mul(c(0.5), add(c(1), t)), mul(mul(x, sech2), inner));
  }
  return single(out, mul(grads[0], d));
}

/// As written (not rewritten for training) dropout is the identity.
HEBB_GRAD(DropoutOp) { return single(out, grads[0]); }

HEBB_GRAD(ReluOp) {
  // relu(x) > 0 exactly where x > 0: testing the result leaves x one use,
  // so the op producing x fuses with the relu.
  Location loc = getLoc();
  Value y = getResult();
  Value positive = mask(b, loc, CmpPredicate::gt, y, splatLike(b, loc, y, 0));
  return single(out, where(b, loc, positive, grads[0]));
}

HEBB_GRAD(SqrtOp) {
  Location loc = getLoc();
  Value twice =
      b.create<MulOp>(loc, getResult(), splatLike(b, loc, getResult(), 2));
  return single(out, b.create<DivOp>(loc, grads[0], twice));
}

HEBB_GRAD(RsqrtOp) {
  // d/dx x^(-1/2) = -1/2 x^(-3/2) = -1/2 y^3.
  Location loc = getLoc();
  Value y = getResult();
  Value y3 = b.create<MulOp>(loc, b.create<MulOp>(loc, y, y), y);
  Value d = b.create<MulOp>(loc, y3, splatLike(b, loc, y, -0.5));
  return single(out, b.create<MulOp>(loc, grads[0], d));
}

HEBB_GRAD(AddOp) {
  out.push_back(grads[0]);
  out.push_back(grads[0]);
  return success();
}

HEBB_GRAD(SubOp) {
  out.push_back(grads[0]);
  out.push_back(b.create<NegOp>(getLoc(), grads[0]));
  return success();
}

HEBB_GRAD(MulOp) {
  out.push_back(b.create<MulOp>(getLoc(), grads[0], getRhs()));
  out.push_back(b.create<MulOp>(getLoc(), grads[0], getLhs()));
  return success();
}

HEBB_GRAD(DivOp) {
  // z = x / y: dx = g / y, dy = -g z / y.
  Location loc = getLoc();
  Value dx = b.create<DivOp>(loc, grads[0], getRhs());
  out.push_back(dx);
  out.push_back(b.create<NegOp>(loc, b.create<MulOp>(loc, dx, getResult())));
  return success();
}

HEBB_GRAD(MaximumOp) {
  out.push_back(extremumGrad(b, getLoc(), CmpPredicate::gt, getLhs(), getRhs(),
                             grads[0]));
  out.push_back(extremumGrad(b, getLoc(), CmpPredicate::gt, getRhs(), getLhs(),
                             grads[0]));
  return success();
}

HEBB_GRAD(MinimumOp) {
  out.push_back(extremumGrad(b, getLoc(), CmpPredicate::lt, getLhs(), getRhs(),
                             grads[0]));
  out.push_back(extremumGrad(b, getLoc(), CmpPredicate::lt, getRhs(), getLhs(),
                             grads[0]));
  return success();
}

HEBB_GRAD(PowOp) {
  // z = x^y: dx = g y x^(y-1), dy = g z ln(x).
  Location loc = getLoc();
  Value x = getLhs(), y = getRhs(), g = grads[0];
  Value ym1 = b.create<SubOp>(loc, y, splatLike(b, loc, y, 1));
  Value dx = b.create<MulOp>(
      loc, g, b.create<MulOp>(loc, y, b.create<PowOp>(loc, x, ym1)));
  Value dy = b.create<MulOp>(
      loc, g, b.create<MulOp>(loc, getResult(), b.create<LogOp>(loc, x)));
  out.push_back(dx);
  out.push_back(dy);
  return success();
}

HEBB_GRAD(SelectOp) {
  Location loc = getLoc();
  Value g = grads[0], zero = splatLike(b, loc, g, 0);
  out.push_back(Value());
  out.push_back(b.create<SelectOp>(loc, getCond(), g, zero));
  out.push_back(b.create<SelectOp>(loc, getCond(), zero, g));
  return success();
}

//===----------------------------------------------------------------------===//
// Matmul: C = op(A) op(B), dop(A) = g op(B)^T, dop(B) = op(A)^T g
//===----------------------------------------------------------------------===//

HEBB_GRAD(MatmulOp) {
  Location loc = getLoc();
  Value a = getLhs(), bb = getRhs(), g = grads[0];
  bool tl = getTransposeLhs(), tr = getTransposeRhs();
  auto mm = [&](Value x, Value y, bool tx, bool ty) -> Value {
    return b.create<MatmulOp>(loc, x, y, b.getBoolAttr(tx), b.getBoolAttr(ty));
  };
  out.push_back(tl ? mm(bb, g, tr, true) : mm(g, bb, false, !tr));
  out.push_back(tr ? mm(g, a, true, tl) : mm(a, g, !tl, false));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions and normalisation
//===----------------------------------------------------------------------===//

HEBB_GRAD(ReduceSumOp) {
  return single(out, broadcastBack(b, getLoc(), grads[0], typeOf(getOperand()),
                                   getAxes()));
}

HEBB_GRAD(ReduceMeanOp) {
  Location loc = getLoc();
  auto in = typeOf(getOperand());
  int64_t count = 1;
  for (int64_t a : getAxes())
    count *= in.getDimSize(a);
  Value scaled =
      b.create<MulOp>(loc, grads[0], splatLike(b, loc, grads[0], 1.0 / count));
  return single(out, broadcastBack(b, loc, scaled, in, getAxes()));
}

HEBB_GRAD(ReduceMaxOp) {
  // Like torch.amax: the adjoint is shared evenly among tied maxima.
  Location loc = getLoc();
  auto in = typeOf(getOperand());
  Value x = getOperand();
  Value best = broadcastBack(b, loc, getResult(), in, getAxes());
  Value hit = mask(b, loc, CmpPredicate::eq, x, best);
  Value ones = b.create<SelectOp>(loc, hit, splatLike(b, loc, x, 1),
                                  splatLike(b, loc, x, 0));
  Value count =
      b.create<ReduceSumOp>(loc, ones, getAxesAttr(), b.getBoolAttr(false));
  Value share = b.create<DivOp>(
      loc, b.create<ReshapeOp>(loc, typeOf(count), grads[0]), count);
  return single(
      out,
      b.create<MulOp>(loc, ones, broadcastBack(b, loc, share, in, getAxes())));
}

HEBB_GRAD(SoftmaxOp) {
  // dx = y (g - sum(g y)) along the axis.
  Location loc = getLoc();
  Value y = getResult(), g = grads[0];
  auto type = typeOf(y);
  int64_t axis = getAxis();
  Value gy = b.create<MulOp>(loc, g, y);
  Value s = b.create<ReduceSumOp>(loc, gy, b.getDenseI64ArrayAttr({axis}),
                                  b.getBoolAttr(false));
  Value diff = b.create<SubOp>(loc, g, broadcastBack(b, loc, s, type, {axis}));
  return single(out, b.create<MulOp>(loc, y, diff));
}

HEBB_GRAD(LogSoftmaxOp) {
  // dx = g - softmax(x) sum(g) along the axis, softmax(x) = exp(y).
  Location loc = getLoc();
  Value y = getResult(), g = grads[0];
  auto type = typeOf(y);
  int64_t axis = getAxis();
  Value s = b.create<ReduceSumOp>(loc, g, b.getDenseI64ArrayAttr({axis}),
                                  b.getBoolAttr(false));
  Value p = b.create<ExpOp>(loc, y);
  Value t = b.create<MulOp>(loc, p, broadcastBack(b, loc, s, type, {axis}));
  return single(out, b.create<SubOp>(loc, g, t));
}

HEBB_GRAD(BatchNormOp) {
  // With inv = rsqrt(var + eps) and c = x - mean, per channel (sums over
  // every axis but 1): dx = g scale inv; dscale = sum(g c) inv;
  // doffset = sum(g); dmean = -sum(g) scale inv;
  // dvar = -sum(g c) scale inv^3 / 2.
  Location loc = getLoc();
  Value g = grads[0];
  auto type = typeOf(getOperand());
  SmallVector<int64_t> axes = statisticsAxes();
  auto spread = [&](Value v) { return broadcastBack(b, loc, v, type, axes); };
  auto sum = [&](Value v) -> Value {
    return b.create<ReduceSumOp>(loc, v, b.getDenseI64ArrayAttr(axes),
                                 b.getBoolAttr(false));
  };
  auto mul = [&](Value x, Value y) -> Value {
    return b.create<MulOp>(loc, x, y);
  };
  Value var = getVariance();
  Value inv = b.create<RsqrtOp>(
      loc,
      b.create<AddOp>(loc, var,
                      splatLike(b, loc, var, getEpsilon().convertToDouble())));
  Value scaleInv = mul(getScale(), inv);
  Value centered = b.create<SubOp>(loc, getOperand(), spread(getMean()));
  Value sumG = sum(g), sumGC = sum(mul(g, centered));
  out.push_back(mul(g, spread(scaleInv)));
  out.push_back(mul(sumGC, inv));
  out.push_back(sumG);
  out.push_back(b.create<NegOp>(loc, mul(sumG, scaleInv)));
  Value inv3 = mul(mul(inv, inv), inv);
  out.push_back(
      mul(mul(sumGC, mul(getScale(), inv3)), splatLike(b, loc, var, -0.5)));
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

HEBB_GRAD(TransposeOp) {
  ArrayRef<int64_t> perm = getPermutation();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  return single(out, b.create<TransposeOp>(getLoc(), grads[0],
                                           b.getDenseI64ArrayAttr(inverse)));
}

HEBB_GRAD(ReshapeOp) {
  return single(
      out, b.create<ReshapeOp>(getLoc(), getOperand().getType(), grads[0]));
}

HEBB_GRAD(BroadcastInDimOp) {
  // Sum over the result axes the operand does not map to, and over axes
  // stretched from size 1; then restore the operand's shape.
  Location loc = getLoc();
  auto in = typeOf(getOperand()), outType = typeOf(getResult());
  ArrayRef<int64_t> dims = getBroadcastDimensions();
  SmallVector<bool> keep(outType.getRank(), false);
  for (auto [i, d] : llvm::enumerate(dims))
    keep[d] = in.getDimSize(i) == outType.getDimSize(d);
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < outType.getRank(); ++d)
    if (!keep[d])
      axes.push_back(d);
  Value g = grads[0];
  if (!axes.empty())
    g = b.create<ReduceSumOp>(loc, g, b.getDenseI64ArrayAttr(axes),
                              b.getBoolAttr(false));
  if (typeOf(g) != in)
    g = b.create<ReshapeOp>(loc, in, g);
  return single(out, g);
}

HEBB_GRAD(ConcatOp) {
  Location loc = getLoc();
  auto outType = typeOf(getResult());
  int64_t axis = getAxis(), offset = 0;
  for (Value in : getInputs()) {
    auto t = typeOf(in);
    SmallVector<int64_t> start(t.getRank(), 0), limit(outType.getShape()),
        stride(t.getRank(), 1);
    start[axis] = offset;
    limit[axis] = offset + t.getDimSize(axis);
    offset += t.getDimSize(axis);
    out.push_back(b.create<SliceOp>(
        loc, grads[0], b.getDenseI64ArrayAttr(start),
        b.getDenseI64ArrayAttr(limit), b.getDenseI64ArrayAttr(stride)));
  }
  return success();
}

HEBB_GRAD(SliceOp) {
  Location loc = getLoc();
  auto in = typeOf(getOperand()), res = typeOf(getResult());
  SmallVector<int64_t> low, high, interior;
  for (int64_t i = 0; i < in.getRank(); ++i) {
    int64_t start = getStart()[i], stride = getStride()[i],
            n = res.getDimSize(i);
    int64_t last = n > 0 ? start + (n - 1) * stride : start - 1;
    low.push_back(start);
    high.push_back(in.getDimSize(i) - last - 1);
    interior.push_back(stride - 1);
  }
  return single(out, b.create<PadOp>(loc, grads[0], b.getDenseI64ArrayAttr(low),
                                     b.getDenseI64ArrayAttr(high),
                                     b.getDenseI64ArrayAttr(interior),
                                     b.getF64FloatAttr(0.0)));
}

HEBB_GRAD(PadOp) {
  Location loc = getLoc();
  auto in = typeOf(getOperand());
  SmallVector<int64_t> start, limit, stride;
  for (int64_t i = 0; i < in.getRank(); ++i) {
    int64_t step = getInterior()[i] + 1, n = in.getDimSize(i);
    start.push_back(getLow()[i]);
    limit.push_back(getLow()[i] + (n > 0 ? (n - 1) * step + 1 : 0));
    stride.push_back(step);
  }
  return single(out,
                b.create<SliceOp>(loc, grads[0], b.getDenseI64ArrayAttr(start),
                                  b.getDenseI64ArrayAttr(limit),
                                  b.getDenseI64ArrayAttr(stride)));
}

#undef HEBB_GRAD
