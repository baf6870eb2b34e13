//===- HebbFolds.cpp - folders and canonicalisation patterns -------------===//
//
// Algebraic identities (x + 0, x * 1, neg(neg x), transpose of transpose,
// reshape of reshape, no-op shape ops) and constant folding of small
// constants. Splat constants fold at any size since the result is a splat.
//
//===----------------------------------------------------------------------===//

#include "ir/HebbDialect.h"
#include "ir/ScalarOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace hebb;

namespace {

/// Constants with more elements than this are not folded unless splat.
constexpr int64_t kMaxFoldElements = 4096;

bool foldable(DenseElementsAttr a) {
  return a && (a.isSplat() || a.getNumElements() <= kMaxFoldElements);
}

/// Applies `f` elementwise to a float or int constant (`F` and `I` return
/// std::nullopt to refuse a value, e.g. integer division by zero).
template <typename F, typename I>
Attribute mapConstant(Attribute operand, Type resultType, F floatFn, I intFn) {
  auto a = operand.dyn_cast_or_null<DenseElementsAttr>();
  auto type = resultType.dyn_cast<RankedTensorType>();
  if (!foldable(a) || !type)
    return {};
  Type elem = a.getElementType();
  if (elem.isF32()) {
    SmallVector<float> out;
    for (float x : a.getValues<float>()) {
      std::optional<float> y = floatFn(x);
      if (!y)
        return {};
      out.push_back(*y);
      if (a.isSplat())
        return DenseElementsAttr::get(type, out[0]);
    }
    return DenseElementsAttr::get(type, ArrayRef<float>(out));
  }
  if (elem.isInteger(32)) {
    SmallVector<int32_t> out;
    for (int32_t x : a.getValues<int32_t>()) {
      std::optional<int32_t> y = intFn(x);
      if (!y)
        return {};
      out.push_back(*y);
      if (a.isSplat())
        return DenseElementsAttr::get(type, out[0]);
    }
    return DenseElementsAttr::get(type, ArrayRef<int32_t>(out));
  }
  return {};
}

/// Applies `f` elementwise to two constants of the same type. `Out` is the
/// C++ type of the result elements (float, int32_t or bool).
template <typename T, typename Out, typename Fn>
Attribute zipConstants(DenseElementsAttr a, DenseElementsAttr b,
                       RankedTensorType type, Fn fn) {
  if (a.isSplat() && b.isSplat()) {
    std::optional<Out> y = fn(a.getSplatValue<T>(), b.getSplatValue<T>());
    return y ? DenseElementsAttr::get(type, *y) : Attribute();
  }
  SmallVector<Out> out;
  auto av = a.getValues<T>(), bv = b.getValues<T>();
  for (int64_t i = 0, e = a.getNumElements(); i < e; ++i) {
    std::optional<Out> y = fn(av[i], bv[i]);
    if (!y)
      return {};
    out.push_back(*y);
  }
  if constexpr (std::is_same_v<Out, bool>) {
    SmallVector<bool> bits(out.begin(), out.end());
    return DenseElementsAttr::get(type, ArrayRef<bool>(bits));
  } else {
    return DenseElementsAttr::get(type, ArrayRef<Out>(out));
  }
}

template <typename F, typename I>
Attribute foldBinary(Attribute lhs, Attribute rhs, Type resultType, F floatFn,
                     I intFn) {
  auto a = lhs.dyn_cast_or_null<DenseElementsAttr>();
  auto b = rhs.dyn_cast_or_null<DenseElementsAttr>();
  auto type = resultType.dyn_cast<RankedTensorType>();
  if (!foldable(a) || !foldable(b) || !type || a.getType() != b.getType())
    return {};
  if (a.getElementType().isF32())
    return zipConstants<float, typename decltype(floatFn(
                                   0.f, 0.f))::value_type>(a, b, type, floatFn);
  if (a.getElementType().isInteger(32))
    return zipConstants<int32_t, typename decltype(intFn(0, 0))::value_type>(
        a, b, type, intFn);
  return {};
}

/// True when `attr` is a constant whose every element equals `value`.
bool isSplatOf(Attribute attr, double value) {
  auto a = attr.dyn_cast_or_null<DenseElementsAttr>();
  if (!a || !a.isSplat())
    return false;
  if (a.getElementType().isF32())
    return a.getSplatValue<float>() == value;
  if (a.getElementType().isInteger(32))
    return a.getSplatValue<int32_t>() == value;
  return false;
}

template <typename Fn> auto unaryF(Fn fn) {
  return [fn](float x) -> std::optional<float> { return fn(x); };
}
template <typename Fn> auto unaryI(Fn fn) {
  return [fn](int32_t x) -> std::optional<int32_t> { return fn(x); };
}
auto noInt = [](int32_t) -> std::optional<int32_t> { return std::nullopt; };
template <typename Fn> auto binaryF(Fn fn) {
  return [fn](float x, float y) -> std::optional<float> { return fn(x, y); };
}
template <typename Fn> auto binaryI(Fn fn) {
  return
      [fn](int32_t x, int32_t y) -> std::optional<int32_t> { return fn(x, y); };
}
auto noIntPair = [](int32_t, int32_t) -> std::optional<int32_t> {
  return std::nullopt;
};

} // namespace

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getOperand().getDefiningOp<NegOp>())
    return inner.getOperand();
  return mapConstant(adaptor.getOperand(), getType(),
                     unaryF(scalar::neg<float>),
                     [](int32_t x) -> std::optional<int32_t> {
                       if (x == INT32_MIN)
                         return std::nullopt;
                       return -x;
                     });
}

#define HEBB_FOLD_UNARY(Op, fn, intFn)                                         \
  OpFoldResult Op::fold(FoldAdaptor adaptor) {                                 \
    return mapConstant(adaptor.getOperand(), getType(),                        \
                       unaryF(scalar::fn<float>), intFn);                      \
  }
HEBB_FOLD_UNARY(AbsOp, abs, [](int32_t x) -> std::optional<int32_t> {
  if (x == INT32_MIN)
    return std::nullopt;
  return x < 0 ? -x : x;
})
HEBB_FOLD_UNARY(ExpOp, exp, noInt)
HEBB_FOLD_UNARY(LogOp, log, noInt)
HEBB_FOLD_UNARY(TanhOp, tanh, noInt)
HEBB_FOLD_UNARY(SigmoidOp, sigmoid, noInt)
HEBB_FOLD_UNARY(ReluOp, relu, unaryI(scalar::relu<int32_t>))
HEBB_FOLD_UNARY(SqrtOp, sqrt, noInt)
HEBB_FOLD_UNARY(RsqrtOp, rsqrt, noInt)
HEBB_FOLD_UNARY(ErfOp, erf, noInt)
#undef HEBB_FOLD_UNARY

OpFoldResult GeluOp::fold(FoldAdaptor adaptor) {
  bool tanhForm = isTanh();
  return mapConstant(
      adaptor.getOperand(), getType(),
      unaryF([tanhForm](float x) { return scalar::gelu<float>(x, tanhForm); }),
      noInt);
}

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    return getLhs();
  if (isSplatOf(adaptor.getLhs(), 0))
    return getRhs();
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    binaryF(scalar::add<float>),
                    [](int32_t x, int32_t y) -> std::optional<int32_t> {
                      int32_t r;
                      if (__builtin_add_overflow(x, y, &r))
                        return std::nullopt;
                      return r;
                    });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    return getLhs();
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    binaryF(scalar::sub<float>),
                    [](int32_t x, int32_t y) -> std::optional<int32_t> {
                      int32_t r;
                      if (__builtin_sub_overflow(x, y, &r))
                        return std::nullopt;
                      return r;
                    });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    return getLhs();
  if (isSplatOf(adaptor.getLhs(), 1))
    return getRhs();
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    binaryF(scalar::mul<float>),
                    [](int32_t x, int32_t y) -> std::optional<int32_t> {
                      int32_t r;
                      if (__builtin_mul_overflow(x, y, &r))
                        return std::nullopt;
                      return r;
                    });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    return getLhs();
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    binaryF(scalar::div<float>),
                    [](int32_t x, int32_t y) -> std::optional<int32_t> {
                      if (y == 0 || (x == INT32_MIN && y == -1))
                        return std::nullopt;
                      return x / y;
                    });
}

OpFoldResult MaximumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    binaryF(scalar::maximum<float>),
                    binaryI(scalar::maximum<int32_t>));
}

OpFoldResult MinimumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    binaryF(scalar::minimum<float>),
                    binaryI(scalar::minimum<int32_t>));
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    return getLhs();
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    binaryF(scalar::pow<float>), noIntPair);
}

OpFoldResult CompareOp::fold(FoldAdaptor adaptor) {
  CmpPredicate pred = getPredicate();
  auto cmpF = [pred](float x, float y) -> std::optional<bool> {
    return scalar::compare(static_cast<int>(pred), x, y);
  };
  auto cmpI = [pred](int32_t x, int32_t y) -> std::optional<bool> {
    return scalar::compare(static_cast<int>(pred), x, y);
  };
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(), cmpF, cmpI);
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  if (getOnTrue() == getOnFalse())
    return getOnTrue();
  auto cond = adaptor.getCond().dyn_cast_or_null<DenseElementsAttr>();
  if (cond && cond.isSplat())
    return cond.getSplatValue<bool>() ? getOnTrue() : getOnFalse();
  return {};
}

namespace {
/// x + neg(y) -> x - y and neg(x) + y -> y - x.
struct AddOfNeg : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    if (auto neg = op.getRhs().getDefiningOp<NegOp>()) {
      rewriter.replaceOpWithNewOp<SubOp>(op, op.getLhs(), neg.getOperand());
      return success();
    }
    if (auto neg = op.getLhs().getDefiningOp<NegOp>()) {
      rewriter.replaceOpWithNewOp<SubOp>(op, op.getRhs(), neg.getOperand());
      return success();
    }
    return failure();
  }
};

/// neg(x) * neg(y) -> x * y.
struct MulOfNegs : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    auto a = op.getLhs().getDefiningOp<NegOp>();
    auto b = op.getRhs().getDefiningOp<NegOp>();
    if (!a || !b)
      return failure();
    rewriter.replaceOpWithNewOp<MulOp>(op, a.getOperand(), b.getOperand());
    return success();
  }
};
/// pad(a) + pad(b) -> pad(concat(a, b)) when both pad with zeros, with
/// no interior padding, and put a and b side by side along one axis; and
/// -> pad(a + b) when they put them at the same place. Gradients of slices
/// that tile an axis (the steps of an unrolled recurrence) then sum
/// without a zero-filled copy of the whole tensor per slice. The values
/// are the same (x + 0 is x).
struct AddOfPads : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  static bool zeroPad(PadOp p) {
    return p && p.getValue().isZero() &&
           llvm::all_of(p.getInterior(), [](int64_t i) { return i == 0; });
  }
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    auto pa = op.getLhs().getDefiningOp<PadOp>();
    auto pb = op.getRhs().getDefiningOp<PadOp>();
    if (!zeroPad(pa) || !zeroPad(pb))
      return failure();
    auto ta = pa.getOperand().getType().cast<RankedTensorType>();
    auto tb = pb.getOperand().getType().cast<RankedTensorType>();
    if (ta.getElementType() != tb.getElementType())
      return failure();
    std::optional<int64_t> axis;
    for (int64_t i = 0; i < ta.getRank(); ++i) {
      if (pa.getLow()[i] == pb.getLow()[i] &&
          ta.getDimSize(i) == tb.getDimSize(i))
        continue;
      if (axis)
        return failure();
      axis = i;
    }
    Location loc = op.getLoc();
    if (!axis) {
      Value sum = rewriter.create<AddOp>(loc, pa.getOperand(), pb.getOperand());
      rewriter.replaceOpWithNewOp<PadOp>(op, sum, pa.getLowAttr(),
                                         pa.getHighAttr(), pa.getInteriorAttr(),
                                         pa.getValueAttr());
      return success();
    }
    const int64_t k = *axis;
    PadOp first = pa, second = pb;
    if (pb.getLow()[k] + tb.getDimSize(k) == pa.getLow()[k])
      std::swap(first, second);
    else if (pa.getLow()[k] + ta.getDimSize(k) != pb.getLow()[k])
      return failure();
    Value joined = rewriter.create<ConcatOp>(
        loc, ValueRange{first.getOperand(), second.getOperand()},
        rewriter.getI64IntegerAttr(k));
    SmallVector<int64_t> high(first.getHigh());
    high[k] = second.getHigh()[k];
    rewriter.replaceOpWithNewOp<PadOp>(
        op, joined, first.getLowAttr(), rewriter.getDenseI64ArrayAttr(high),
        first.getInteriorAttr(), first.getValueAttr());
    return success();
  }
};
} // namespace

void AddOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<AddOfNeg, AddOfPads>(context);
}

namespace {
/// concat(..., concat(x, y), ...) along the same axis -> concat(..., x, y,
/// ...).
struct FlattenConcats : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> inputs;
    bool nested = false;
    for (Value v : op.getInputs()) {
      auto inner = v.getDefiningOp<ConcatOp>();
      if (inner && inner.getAxis() == op.getAxis()) {
        inputs.append(inner.getInputs().begin(), inner.getInputs().end());
        nested = true;
      } else {
        inputs.push_back(v);
      }
    }
    if (!nested)
      return failure();
    rewriter.replaceOpWithNewOp<ConcatOp>(op, inputs, op.getAxisAttr());
    return success();
  }
};
} // namespace

void ConcatOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<FlattenConcats>(context);
}

void MulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<MulOfNegs>(context);
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

/// Outside the training rewrite a dropout site is the identity.
OpFoldResult DropoutOp::fold(FoldAdaptor) { return getOperand(); }

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPermutation();
  for (auto [i, p] : llvm::enumerate(perm))
    if ((int64_t)i != p)
      return {};
  return getOperand();
}

namespace {
/// transpose(transpose(x, p), q) -> transpose(x, p∘q).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getOperand().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    ArrayRef<int64_t> p = inner.getPermutation(), q = op.getPermutation();
    SmallVector<int64_t> composed;
    for (int64_t i : q)
      composed.push_back(p[i]);
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), inner.getOperand(),
        rewriter.getDenseI64ArrayAttr(composed));
    return success();
  }
};

/// reshape(reshape(x)) -> reshape(x).
struct ComposeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getOperand().getDefiningOp<ReshapeOp>();
    if (!inner)
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(),
                                           inner.getOperand());
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  if (auto a = adaptor.getOperand().dyn_cast_or_null<DenseElementsAttr>())
    return a.reshape(getType().cast<ShapedType>());
  return {};
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposeReshapes>(context);
}

OpFoldResult BroadcastInDimOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  auto a = adaptor.getOperand().dyn_cast_or_null<DenseElementsAttr>();
  if (a && a.isSplat())
    return a.resizeSplat(getType().cast<ShapedType>());
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs()[0];
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}
