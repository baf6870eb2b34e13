//===- HebbOps.cpp - shape inference and verifiers ------------------------===//
//
// Result types of hebb ops. Every rule lives in one inferReturnTypes so the
// verifier, the parser and the JSON frontend share it. The rules are written
// defensively: the frontend calls them on operands and attributes that have
// not been verified yet, so each one checks what it reads and reports a
// one-line error naming the shapes involved.
//
//===----------------------------------------------------------------------===//

#include "ir/HebbDialect.h"
#include "ir/Infer.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/MathExtras.h"

#include <cstdio>

using namespace mlir;
using namespace hebb;

using namespace hebb::infer;

namespace {

LogicalResult inferUnary(ValueRange operands, OptLoc loc,
                         SmallVectorImpl<Type> &results) {
  auto t = onlyOperand(operands, loc);
  if (failed(t))
    return failure();
  results.push_back(*t);
  return success();
}

LogicalResult inferBinary(ValueRange operands, OptLoc loc,
                          SmallVectorImpl<Type> &results, bool mask) {
  RankedTensorType lhs, rhs;
  if (failed(twoOperands(operands, loc, lhs, rhs)))
    return failure();
  if (lhs != rhs)
    return fail(loc,
                "operands must have the same shape and element type, got " +
                    str(lhs) + " and " + str(rhs) +
                    " (broadcast explicitly with broadcast_in_dim)");
  Type elem =
      mask ? Type(IntegerType::get(lhs.getContext(), 1)) : lhs.getElementType();
  results.push_back(RankedTensorType::get(lhs.getShape(), elem));
  return success();
}

/// Shape of `t` with `axes` removed, or set to 1 when `keepdims`.
LogicalResult inferReduced(RankedTensorType t, ArrayRef<int64_t> axes,
                           bool keepdims, Type elem, OptLoc loc,
                           SmallVectorImpl<Type> &results) {
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t axis : axes) {
    if (failed(checkAxis(axis, t.getRank(), "axis", t, loc)))
      return failure();
    if (!seen.insert(axis).second)
      return fail(loc, "axis " + Twine(axis) + " is repeated");
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < t.getRank(); ++i) {
    if (!seen.count(i))
      shape.push_back(t.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

/// A one-operand op with three per-dimension integer arrays (slice, pad).
struct PerDim {
  RankedTensorType type;
  ArrayRef<int64_t> a, b, c;
};

FailureOr<PerDim> perDimOperands(ValueRange operands, DictionaryAttr attrs,
                                 StringRef na, StringRef nb, StringRef nc,
                                 OptLoc loc) {
  auto t = onlyOperand(operands, loc);
  auto a = i64Array(attrs, na, loc);
  auto b = i64Array(attrs, nb, loc);
  auto c = i64Array(attrs, nc, loc);
  if (failed(t) || failed(a) || failed(b) || failed(c))
    return failure();
  size_t rank = t->getRank();
  if (a->size() != rank || b->size() != rank || c->size() != rank) {
    (void)fail(loc, na + ", " + nb + " and " + nc + " need " + Twine(rank) +
                        " entries each for " + str(*t));
    return failure();
  }
  return PerDim{*t, *a, *b, *c};
}

} // namespace

//===----------------------------------------------------------------------===//
// Custom assembly: `: T` when two operand types agree, `: T1, T2` otherwise
//===----------------------------------------------------------------------===//

static ParseResult parseSameTypes(OpAsmParser &parser, Type &first,
                                  Type &second) {
  if (parser.parseType(first))
    return failure();
  second = first;
  if (succeeded(parser.parseOptionalComma()))
    return parser.parseType(second);
  return success();
}

static void printSameTypes(OpAsmPrinter &printer, Operation *, Type first,
                           Type second) {
  printer << first;
  if (second != first)
    printer << ", " << second;
}

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                           ValueRange operands,
                                           DictionaryAttr attrs, RegionRange,
                                           SmallVectorImpl<Type> &results) {
  auto value =
      attrs ? attrs.get("value").dyn_cast_or_null<ElementsAttr>() : nullptr;
  if (!value)
    return fail(loc, "requires a tensor attribute 'value'");
  results.push_back(value.getType());
  return success();
}

LogicalResult ConstantOp::verify() {
  auto type = getValue().getType().dyn_cast<RankedTensorType>();
  if (!type || !type.hasStaticShape())
    return emitOpError("value must be a statically shaped tensor");
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

#define HEBB_UNARY_INFER(Op)                                                   \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *, OptLoc loc, ValueRange operands, DictionaryAttr,          \
      RegionRange, SmallVectorImpl<Type> &results) {                           \
    return inferUnary(operands, loc, results);                                 \
  }
HEBB_UNARY_INFER(NegOp)
HEBB_UNARY_INFER(AbsOp)
HEBB_UNARY_INFER(ExpOp)
HEBB_UNARY_INFER(LogOp)
HEBB_UNARY_INFER(TanhOp)
HEBB_UNARY_INFER(SigmoidOp)
HEBB_UNARY_INFER(ReluOp)
HEBB_UNARY_INFER(SqrtOp)
HEBB_UNARY_INFER(RsqrtOp)
HEBB_UNARY_INFER(ErfOp)
#undef HEBB_UNARY_INFER

LogicalResult GeluOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                       ValueRange operands,
                                       DictionaryAttr attrs, RegionRange,
                                       SmallVectorImpl<Type> &results) {
  auto mode = attrs ? attrs.get("approximate").dyn_cast_or_null<StringAttr>()
                    : StringAttr();
  if (attrs && attrs.get("approximate") && !mode)
    return fail(loc, "approximate must be a string");
  if (mode && mode.getValue() != "none" && mode.getValue() != "tanh")
    return fail(loc, "approximate must be \"none\" or \"tanh\", got \"" +
                         mode.getValue() + "\"");
  return inferUnary(operands, loc, results);
}

#define HEBB_BINARY_INFER(Op, mask)                                            \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *, OptLoc loc, ValueRange operands, DictionaryAttr,          \
      RegionRange, SmallVectorImpl<Type> &results) {                           \
    return inferBinary(operands, loc, results, mask);                          \
  }
HEBB_BINARY_INFER(AddOp, false)
HEBB_BINARY_INFER(SubOp, false)
HEBB_BINARY_INFER(MulOp, false)
HEBB_BINARY_INFER(DivOp, false)
HEBB_BINARY_INFER(MaximumOp, false)
HEBB_BINARY_INFER(MinimumOp, false)
HEBB_BINARY_INFER(PowOp, false)
HEBB_BINARY_INFER(CompareOp, true)
#undef HEBB_BINARY_INFER

LogicalResult SelectOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         ValueRange operands, DictionaryAttr,
                                         RegionRange,
                                         SmallVectorImpl<Type> &results) {
  if (failed(expectOperands(operands, 3, loc)))
    return failure();
  auto cond = operandTensor(operands, 0, loc);
  auto onTrue = operandTensor(operands, 1, loc);
  auto onFalse = operandTensor(operands, 2, loc);
  if (failed(cond) || failed(onTrue) || failed(onFalse))
    return failure();
  if (!cond->getElementType().isInteger(1))
    return fail(loc, "condition must be an i1 mask, got " + str(*cond));
  if (*onTrue != *onFalse)
    return fail(loc, "both choices must have the same type, got " +
                         str(*onTrue) + " and " + str(*onFalse));
  if (cond->getShape() != onTrue->getShape())
    return fail(loc, "condition shape " + str(*cond) +
                         " differs from the choices' shape " + str(*onTrue));
  results.push_back(*onTrue);
  return success();
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  RankedTensorType lhs, rhs;
  if (failed(twoOperands(operands, loc, lhs, rhs)))
    return failure();
  const int64_t rank = lhs.getRank();
  if (rank < 2 || rhs.getRank() != rank)
    return fail(loc, "operands must both be 2-D, or of one rank with batch "
                     "dimensions in front, got " +
                         str(lhs) + " and " + str(rhs));
  if (lhs.getElementType() != rhs.getElementType())
    return fail(loc, "element types differ: " + str(lhs) + " and " + str(rhs));
  ArrayRef<int64_t> batch = lhs.getShape().drop_back(2);
  if (batch != rhs.getShape().drop_back(2))
    return fail(loc,
                "batch dimensions differ: " + str(lhs) + " and " + str(rhs));
  bool tl = boolAttr(attrs, "transpose_lhs");
  bool tr = boolAttr(attrs, "transpose_rhs");
  int64_t m = lhs.getDimSize(rank - (tl ? 1 : 2)),
          kl = lhs.getDimSize(rank - (tl ? 2 : 1));
  int64_t kr = rhs.getDimSize(rank - (tr ? 1 : 2)),
          n = rhs.getDimSize(rank - (tr ? 2 : 1));
  if (kl != kr)
    return fail(loc, "contracting dimensions differ: " + str(lhs) +
                         (tl ? " (transposed)" : "") + " has " + Twine(kl) +
                         ", " + str(rhs) + (tr ? " (transposed)" : "") +
                         " has " + Twine(kr));
  SmallVector<int64_t> shape(batch);
  shape.append({m, n});
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions and normalisation
//===----------------------------------------------------------------------===//

#define HEBB_REDUCE_INFER(Op)                                                  \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *, OptLoc loc, ValueRange operands, DictionaryAttr attrs,    \
      RegionRange, SmallVectorImpl<Type> &results) {                           \
    auto t = onlyOperand(operands, loc);                                       \
    auto axes = i64Array(attrs, "axes", loc);                                  \
    if (failed(t) || failed(axes))                                             \
      return failure();                                                        \
    return inferReduced(*t, *axes, boolAttr(attrs, "keepdims"),                \
                        t->getElementType(), loc, results);                    \
  }
HEBB_REDUCE_INFER(ReduceSumOp)
HEBB_REDUCE_INFER(ReduceMeanOp)
HEBB_REDUCE_INFER(ReduceMaxOp)
#undef HEBB_REDUCE_INFER

LogicalResult ArgmaxOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  RankedTensorType t;
  int64_t axes[1];
  if (failed(operandAndInt(operands, attrs, "axis", loc, t, axes[0])))
    return failure();
  return inferReduced(t, axes, boolAttr(attrs, "keepdims"),
                      IntegerType::get(ctx, 32), loc, results);
}

#define HEBB_SOFTMAX_INFER(Op)                                                 \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *, OptLoc loc, ValueRange operands, DictionaryAttr attrs,    \
      RegionRange, SmallVectorImpl<Type> &results) {                           \
    RankedTensorType t;                                                        \
    int64_t axis;                                                              \
    if (failed(operandAndInt(operands, attrs, "axis", loc, t, axis)) ||        \
        failed(checkAxis(axis, t.getRank(), "axis", t, loc)))                  \
      return failure();                                                        \
    results.push_back(t);                                                      \
    return success();                                                          \
  }
HEBB_SOFTMAX_INFER(SoftmaxOp)
HEBB_SOFTMAX_INFER(LogSoftmaxOp)
#undef HEBB_SOFTMAX_INFER

//===----------------------------------------------------------------------===//
// Batch normalisation
//===----------------------------------------------------------------------===//

namespace {
/// A required f64 attribute in [lo, hi].
FailureOr<double> f64In(DictionaryAttr attrs, StringRef name, double lo,
                        double hi, OptLoc loc) {
  auto attr =
      attrs ? attrs.get(name).dyn_cast_or_null<FloatAttr>() : FloatAttr();
  if (!attr) {
    (void)fail(loc, "requires attribute '" + name + "' (f64)");
    return failure();
  }
  double v = attr.getValueAsDouble();
  if (!(v >= lo && v <= hi)) {
    char text[128];
    std::snprintf(text, sizeof text, " must be in [%g, %g], got %g", lo, hi, v);
    (void)fail(loc, name + text);
    return failure();
  }
  return v;
}
} // namespace

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            ValueRange operands,
                                            DictionaryAttr attrs, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  auto x = firstOperand(operands, 5, loc);
  if (failed(x))
    return failure();
  if (x->getRank() < 2)
    return fail(loc,
                "expects an operand [batch, channels, ...], got " + str(*x));
  auto vector = RankedTensorType::get({x->getDimSize(1)}, x->getElementType());
  const char *names[] = {"scale", "offset", "mean", "variance"};
  for (unsigned i = 1; i < 5; ++i) {
    auto t = operandTensor(operands, i, loc);
    if (failed(t))
      return failure();
    if (*t != vector)
      return fail(loc, Twine(names[i - 1]) + " must be " + str(vector) +
                           " (one value per channel of " + str(*x) + "), got " +
                           str(*t));
  }
  if (failed(f64In(attrs, "epsilon", 1e-30, 1e30, loc)) ||
      failed(f64In(attrs, "momentum", 0, 1, loc)))
    return failure();
  results.push_back(*x);
  return success();
}

SmallVector<int64_t> BatchNormOp::statisticsAxes() {
  SmallVector<int64_t> axes = {0};
  for (int64_t i = 2; i < getType().cast<RankedTensorType>().getRank(); ++i)
    axes.push_back(i);
  return axes;
}

Value BatchNormOp::decompose(OpBuilder &b, Value mean, Value variance) {
  Location loc = getLoc();
  auto type = getType().cast<RankedTensorType>();
  auto vec = variance.getType().cast<RankedTensorType>();
  auto spread = [&](Value v) -> Value {
    return b.create<BroadcastInDimOp>(loc, type, v, ArrayRef<int64_t>{1});
  };
  Value eps = b.create<ConstantOp>(
      loc, DenseElementsAttr::get(vec, (float)getEpsilon().convertToDouble()));
  // y = (x - mean) * (scale * rsqrt(variance + eps)) + offset
  Value inv = b.create<RsqrtOp>(loc, b.create<AddOp>(loc, variance, eps));
  Value centered = b.create<SubOp>(loc, getOperand(), spread(mean));
  Value scaled = b.create<MulOp>(loc, centered,
                                 spread(b.create<MulOp>(loc, getScale(), inv)));
  return b.create<AddOp>(loc, scaled, spread(getOffset()));
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            ValueRange operands,
                                            DictionaryAttr attrs, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  auto t = onlyOperand(operands, loc);
  auto perm = i64Array(attrs, "permutation", loc);
  if (failed(t) || failed(perm))
    return failure();
  if ((int64_t)perm->size() != t->getRank())
    return fail(loc, "permutation has " + Twine(perm->size()) +
                         " entries, operand " + str(*t) + " has rank " +
                         Twine(t->getRank()));
  SmallVector<bool> used(t->getRank(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : *perm) {
    if (p < 0 || p >= t->getRank() || used[p])
      return fail(loc, "permutation is not a permutation of 0.." +
                           Twine(t->getRank() - 1));
    used[p] = true;
    shape.push_back(t->getDimSize(p));
  }
  results.push_back(RankedTensorType::get(shape, t->getElementType()));
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto in = getOperand().getType().cast<RankedTensorType>();
  auto out = getResult().getType().cast<RankedTensorType>();
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type changes from ") << in << " to " << out;
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("element count differs: ")
           << in << " has " << in.getNumElements() << ", " << out << " has "
           << out.getNumElements();
  return success();
}

LogicalResult BroadcastInDimOp::verify() {
  auto in = getOperand().getType().cast<RankedTensorType>();
  auto out = getResult().getType().cast<RankedTensorType>();
  ArrayRef<int64_t> dims = getBroadcastDimensions();
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type changes from ") << in << " to " << out;
  if ((int64_t)dims.size() != in.getRank())
    return emitOpError("broadcast_dimensions has ")
           << dims.size() << " entries, operand " << in << " has rank "
           << in.getRank();
  for (auto [i, d] : llvm::enumerate(dims)) {
    if (d < 0 || d >= out.getRank())
      return emitOpError("broadcast dimension ")
             << d << " is out of range for " << out;
    if (i > 0 && d <= dims[i - 1])
      return emitOpError("broadcast_dimensions must be strictly increasing");
    int64_t size = in.getDimSize(i);
    if (size != 1 && size != out.getDimSize(d))
      return emitOpError("cannot broadcast ")
             << in << " to " << out << ": operand dimension " << i
             << " has size " << size << ", result dimension " << d
             << " has size " << out.getDimSize(d);
  }
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  if (operands.empty())
    return fail(loc, "expects at least one input");
  auto first = operandTensor(operands, 0, loc);
  auto axis = i64Attr(attrs, "axis", loc);
  if (failed(first) || failed(axis) ||
      failed(checkAxis(*axis, first->getRank(), "axis", *first, loc)))
    return failure();
  SmallVector<int64_t> shape(first->getShape());
  for (unsigned i = 1; i < operands.size(); ++i) {
    auto t = operandTensor(operands, i, loc);
    if (failed(t))
      return failure();
    bool ok = t->getRank() == first->getRank() &&
              t->getElementType() == first->getElementType();
    for (int64_t d = 0; ok && d < first->getRank(); ++d)
      ok = d == *axis || t->getDimSize(d) == first->getDimSize(d);
    if (!ok)
      return fail(loc, "input " + Twine(i) + " " + str(*t) +
                           " does not match input 0 " + str(*first) +
                           " outside axis " + Twine(*axis));
    if (llvm::AddOverflow(shape[*axis], t->getDimSize(*axis), shape[*axis]))
      return fail(loc, "concatenated size overflows");
  }
  results.push_back(RankedTensorType::get(shape, first->getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                        ValueRange operands,
                                        DictionaryAttr attrs, RegionRange,
                                        SmallVectorImpl<Type> &results) {
  auto d = perDimOperands(operands, attrs, "start", "limit", "stride", loc);
  if (failed(d))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < d->type.getRank(); ++i) {
    int64_t s = d->a[i], l = d->b[i], st = d->c[i];
    if (s < 0 || s > l || l > d->type.getDimSize(i) || st < 1)
      return fail(loc, "dimension " + Twine(i) + " of " + str(d->type) +
                           ": need 0 <= start <= limit <= " +
                           Twine(d->type.getDimSize(i)) +
                           " and stride >= 1, got start " + Twine(s) +
                           ", limit " + Twine(l) + ", stride " + Twine(st));
    shape.push_back((l - s + st - 1) / st);
  }
  results.push_back(RankedTensorType::get(shape, d->type.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                      ValueRange operands, DictionaryAttr attrs,
                                      RegionRange,
                                      SmallVectorImpl<Type> &results) {
  auto d = perDimOperands(operands, attrs, "low", "high", "interior", loc);
  if (failed(d))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < d->type.getRank(); ++i) {
    int64_t n = d->type.getDimSize(i), lo = d->a[i], hi = d->b[i], in = d->c[i];
    if (lo < 0 || hi < 0 || in < 0)
      return fail(loc,
                  "padding of dimension " + Twine(i) + " must be non-negative");
    int64_t size = 0, gaps = 0;
    if (n > 0 && llvm::MulOverflow(n - 1, in, gaps))
      return fail(loc, "padded size overflows");
    if (llvm::AddOverflow(lo, hi, size) || llvm::AddOverflow(size, n, size) ||
        llvm::AddOverflow(size, gaps, size))
      return fail(loc, "padded size overflows");
    shape.push_back(size);
  }
  results.push_back(RankedTensorType::get(shape, d->type.getElementType()));
  return success();
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  RankedTensorType t;
  int64_t depth;
  if (failed(operandAndInt(operands, attrs, "depth", loc, t, depth)))
    return failure();
  if (depth < 1)
    return fail(loc, "depth must be at least 1, got " + Twine(depth));
  SmallVector<int64_t> shape(t.getShape());
  shape.push_back(depth);
  results.push_back(RankedTensorType::get(shape, Float32Type::get(ctx)));
  return success();
}

//===----------------------------------------------------------------------===//
// Randomness
//===----------------------------------------------------------------------===//

LogicalResult
RandomUniformOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                  ValueRange operands, DictionaryAttr attrs,
                                  RegionRange, SmallVectorImpl<Type> &results) {
  auto seed = onlyOperand(operands, loc);
  auto shape = i64Array(attrs, "shape", loc);
  if (failed(seed) || failed(shape))
    return failure();
  if (seed->getShape() != ArrayRef<int64_t>{2})
    return fail(loc,
                "seed must be a tensor<2xi32> (key words), got " + str(*seed));
  int64_t count = 1;
  for (int64_t d : *shape) {
    if (d < 0 || llvm::MulOverflow(count, d, count) || count > INT32_MAX)
      return fail(loc, "shape needs sizes >= 0 and fewer than 2^31 elements");
  }
  results.push_back(RankedTensorType::get(*shape, Float32Type::get(ctx)));
  return success();
}

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                          ValueRange operands,
                                          DictionaryAttr attrs, RegionRange,
                                          SmallVectorImpl<Type> &results) {
  auto rate =
      attrs ? attrs.get("rate").dyn_cast_or_null<FloatAttr>() : FloatAttr();
  if (!rate)
    return fail(loc, "requires attribute 'rate' (float)");
  double r = rate.getValueAsDouble();
  if (!(r >= 0.0 && r < 1.0)) {
    std::string shown;
    llvm::raw_string_ostream(shown) << r;
    return fail(loc, "rate must be in [0, 1), got " + shown);
  }
  return inferUnary(operands, loc, results);
}

#define GET_OP_CLASSES
#include "ir/HebbOps.cpp.inc"
