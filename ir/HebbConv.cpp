//===- HebbConv.cpp - convolution and pooling ops -------------------------===//
//
// Shapes, decompositions and gradients of conv2d, im2col, col2im,
// max_pool2d and avg_pool2d. The primitive pair is im2col (every window of
// an image batch as a column) and its adjoint col2im. A convolution is
// im2col and one matrix product per group; its weight gradient multiplies
// the same columns (CSE shares them with the forward product), its input
// gradient is col2im of a product with the weight. A pooling op is im2col
// of every channel on its own and a reduction down each column.
//
//===----------------------------------------------------------------------===//

#include "ir/HebbDialect.h"
#include "ir/Infer.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/MathExtras.h"

#include <climits>
#include <limits>

using namespace mlir;
using namespace hebb;
using namespace hebb::infer;

Window2d Window2d::get(ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> padding, ArrayRef<int64_t> dilation) {
  Window2d w;
  for (int i = 0; i < 2; ++i) {
    w.kernel[i] = kernel[i];
    w.strides[i] = strides[i];
    w.dilation[i] = dilation[i];
  }
  for (int i = 0; i < 4; ++i)
    w.padding[i] = padding[i];
  return w;
}

namespace {

//===----------------------------------------------------------------------===//
// Shape inference
//===----------------------------------------------------------------------===//

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Attribute `name`: `size` integers in [min, 2^31 - 1].
FailureOr<ArrayRef<int64_t>> windowArray(DictionaryAttr attrs, StringRef name,
                                         size_t size, int64_t min, OptLoc loc) {
  auto a = i64Array(attrs, name, loc);
  if (failed(a))
    return failure();
  bool inRange =
      llvm::all_of(*a, [&](int64_t v) { return v >= min && v <= INT32_MAX; });
  if (a->size() != size || !inRange) {
    (void)fail(loc, name + " must be " + Twine(size) + " integers in [" +
                        Twine(min) + ", 2147483647], got " + shapeStr(*a));
    return failure();
  }
  return a;
}

/// The window of an op's attributes; `kernel` when given (a convolution's
/// comes from its weight), and no dilation attribute for pooling.
FailureOr<Window2d> readWindow(DictionaryAttr attrs, OptLoc loc,
                               ArrayRef<int64_t> kernel, bool dilated) {
  static const int64_t ones[2] = {1, 1};
  FailureOr<ArrayRef<int64_t>> k = kernel.empty()
                                       ? windowArray(attrs, "kernel", 2, 1, loc)
                                       : FailureOr<ArrayRef<int64_t>>(kernel);
  auto s = windowArray(attrs, "strides", 2, 1, loc);
  auto p = windowArray(attrs, "padding", 4, 0, loc);
  FailureOr<ArrayRef<int64_t>> d =
      dilated ? windowArray(attrs, "dilation", 2, 1, loc)
              : FailureOr<ArrayRef<int64_t>>(ArrayRef<int64_t>(ones));
  if (failed(k) || failed(s) || failed(p) || failed(d))
    return failure();
  return Window2d::get(*k, *s, *p, *d);
}

/// [N, C, OH, OW] for an [N, C, H, W] image batch; fails when no window
/// fits or the columns im2col makes of it would be too many.
FailureOr<SmallVector<int64_t>> windows(ArrayRef<int64_t> image,
                                        const Window2d &w, OptLoc loc) {
  SmallVector<int64_t> out(image.take_front(2));
  for (int axis = 0; axis < 2; ++axis) {
    int64_t n = w.outputSize(axis, image[2 + axis]);
    if (n < 1) {
      (void)fail(loc, "the window spans " + Twine(w.span(0)) + "x" +
                          Twine(w.span(1)) + ", more than the padded image " +
                          shapeStr(image) + " (padding " + shapeStr(w.padding) +
                          ")");
      return failure();
    }
    out.push_back(n);
  }
  int64_t count = 1;
  for (int64_t d : {out[0], out[1], out[2], out[3], w.kernel[0], w.kernel[1]})
    if (llvm::MulOverflow(count, d, count) || count > INT32_MAX) {
      (void)fail(loc, "its columns (im2col) would have 2^31 or more elements");
      return failure();
    }
  return out;
}

/// im2col's [C KH KW, N OH OW] for `out` = [N, C, OH, OW].
SmallVector<int64_t> columns(ArrayRef<int64_t> out, const Window2d &w) {
  return {out[1] * w.kernel[0] * w.kernel[1], out[0] * out[2] * out[3]};
}

/// The [N, C, H, W] first of `n` operands.
FailureOr<RankedTensorType> image(ValueRange operands, unsigned n, OptLoc loc) {
  auto t = firstOperand(operands, n, loc);
  if (succeeded(t) && t->getRank() != 4) {
    (void)fail(loc, "operand must be 4-D [N, C, H, W], got " + str(*t));
    return failure();
  }
  return t;
}

RankedTensorType f32(MLIRContext *ctx, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, Float32Type::get(ctx));
}

//===----------------------------------------------------------------------===//
// Building blocks of decompositions and gradients
//===----------------------------------------------------------------------===//

RankedTensorType typeOf(Value v) {
  return v.getType().cast<RankedTensorType>();
}

Value reshape(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  if (typeOf(v).getShape() == shape)
    return v;
  return b.create<ReshapeOp>(loc, f32(b.getContext(), shape), v);
}

Value transpose(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm) {
  return b.create<TransposeOp>(loc, v, b.getDenseI64ArrayAttr(perm));
}

Value matmul(OpBuilder &b, Location loc, Value x, Value y, bool tx, bool ty) {
  return b.create<MatmulOp>(loc, x, y, b.getBoolAttr(tx), b.getBoolAttr(ty));
}

Value im2col(OpBuilder &b, Location loc, Value image, const Window2d &w,
             double value) {
  return b.create<Im2colOp>(
      loc, image, b.getDenseI64ArrayAttr(w.kernel),
      b.getDenseI64ArrayAttr(w.strides), b.getDenseI64ArrayAttr(w.padding),
      b.getDenseI64ArrayAttr(w.dilation), b.getF64FloatAttr(value));
}

Value col2im(OpBuilder &b, Location loc, Value cols, ArrayRef<int64_t> shape,
             const Window2d &w) {
  return b.create<Col2imOp>(
      loc, cols, b.getDenseI64ArrayAttr(shape),
      b.getDenseI64ArrayAttr(w.kernel), b.getDenseI64ArrayAttr(w.strides),
      b.getDenseI64ArrayAttr(w.padding), b.getDenseI64ArrayAttr(w.dilation));
}

/// Splits each of `operands` into `groups` equal row blocks, applies `fn`
/// to each group's blocks and stacks the results' rows.
Value perGroup(OpBuilder &b, Location loc, int64_t groups,
               ArrayRef<Value> operands,
               function_ref<Value(ArrayRef<Value>)> fn) {
  if (groups == 1)
    return fn(operands);
  SmallVector<Value> results;
  for (int64_t g = 0; g < groups; ++g) {
    SmallVector<Value> blocks;
    for (Value v : operands) {
      int64_t rows = typeOf(v).getDimSize(0) / groups,
              cols = typeOf(v).getDimSize(1);
      blocks.push_back(
          b.create<SliceOp>(loc, v, b.getDenseI64ArrayAttr({g * rows, 0}),
                            b.getDenseI64ArrayAttr({(g + 1) * rows, cols}),
                            b.getDenseI64ArrayAttr({1, 1})));
    }
    results.push_back(fn(blocks));
  }
  return b.create<ConcatOp>(loc, results, b.getI64IntegerAttr(0));
}

/// The [N, C, H, W] image batch of a pooling op as [N C, 1, H, W]: every
/// channel an image of its own.
Value channelsAsImages(OpBuilder &b, Location loc, Value x) {
  ArrayRef<int64_t> s = typeOf(x).getShape();
  return reshape(b, loc, x, {s[0] * s[1], 1, s[2], s[3]});
}

} // namespace

//===----------------------------------------------------------------------===//
// im2col and col2im
//===----------------------------------------------------------------------===//

Window2d Im2colOp::window() {
  return Window2d::get(getKernel(), getStrides(), getPadding(), getDilation());
}

Window2d Col2imOp::window() {
  return Window2d::get(getKernel(), getStrides(), getPadding(), getDilation());
}

LogicalResult Im2colOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  auto x = image(operands, 1, loc);
  auto w = readWindow(attrs, loc, {}, true);
  if (failed(x) || failed(w))
    return failure();
  auto out = windows(x->getShape(), *w, loc);
  if (failed(out))
    return failure();
  results.push_back(f32(ctx, columns(*out, *w)));
  return success();
}

LogicalResult Col2imOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  auto cols = onlyOperand(operands, loc);
  auto shape = windowArray(attrs, "shape", 4, 1, loc);
  auto w = readWindow(attrs, loc, {}, true);
  if (failed(cols) || failed(shape) || failed(w))
    return failure();
  auto out = windows(*shape, *w, loc);
  if (failed(out))
    return failure();
  SmallVector<int64_t> expected = columns(*out, *w);
  if (cols->getShape() != ArrayRef<int64_t>(expected))
    return fail(loc, "columns of the image batch " + shapeStr(*shape) +
                         " must be " + shapeStr(expected) + ", got " +
                         str(*cols));
  results.push_back(f32(ctx, *shape));
  return success();
}

LogicalResult Im2colOp::buildGradients(OpBuilder &b, ValueRange grads,
                                       SmallVectorImpl<Value> &out) {
  out.push_back(
      col2im(b, getLoc(), grads[0], typeOf(getOperand()).getShape(), window()));
  return success();
}

LogicalResult Col2imOp::buildGradients(OpBuilder &b, ValueRange grads,
                                       SmallVectorImpl<Value> &out) {
  out.push_back(im2col(b, getLoc(), grads[0], window(), 0.0));
  return success();
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

Window2d Conv2dOp::window() {
  ArrayRef<int64_t> w = typeOf(getWeight()).getShape();
  return Window2d::get(w.drop_front(2), getStrides(), getPadding(),
                       getDilation());
}

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                         ValueRange operands,
                                         DictionaryAttr attrs, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  auto x = image(operands, 2, loc);
  auto wt = operandTensor(operands, 1, loc);
  if (failed(x) || failed(wt))
    return failure();
  auto groupsAttr =
      attrs ? attrs.get("groups").dyn_cast_or_null<IntegerAttr>() : nullptr;
  int64_t groups = groupsAttr ? groupsAttr.getValue().getSExtValue() : 1;
  int64_t c = x->getDimSize(1), o = wt->getRank() == 4 ? wt->getDimSize(0) : 0;
  if (groups < 1 || c % groups != 0 || o % groups != 0)
    return fail(loc, "groups (" + Twine(groups) +
                         ") must divide the input channels and the weight's "
                         "output channels, got " +
                         str(*x) + " and " + str(*wt));
  if (wt->getRank() != 4 || wt->getDimSize(1) != c / groups)
    return fail(loc, "weight must be [O, " + Twine(c / groups) +
                         " (input channels / groups), KH, KW] for " + str(*x) +
                         ", got " + str(*wt));
  auto w = readWindow(attrs, loc, wt->getShape().drop_front(2), true);
  if (failed(w))
    return failure();
  auto out = windows(x->getShape(), *w, loc);
  if (failed(out))
    return failure();
  (*out)[1] = o;
  results.push_back(f32(ctx, *out));
  return success();
}

Value Conv2dOp::decompose(OpBuilder &b) {
  Location loc = getLoc();
  ArrayRef<int64_t> wt = typeOf(getWeight()).getShape(),
                    y = typeOf(getResult()).getShape();
  Value cols = im2col(b, loc, getOperand(), window(), 0.0);
  Value w = reshape(b, loc, getWeight(), {wt[0], wt[1] * wt[2] * wt[3]});
  Value prod = perGroup(b, loc, getGroups(), {w, cols}, [&](ArrayRef<Value> v) {
    return matmul(b, loc, v[0], v[1], false, false);
  });
  // [O, N OH OW] to [N, O, OH, OW].
  prod = reshape(b, loc, prod, {y[1], y[0], y[2], y[3]});
  return transpose(b, loc, prod, {1, 0, 2, 3});
}

LogicalResult Conv2dOp::buildGradients(OpBuilder &b, ValueRange grads,
                                       SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  ArrayRef<int64_t> wt = typeOf(getWeight()).getShape(),
                    y = typeOf(getResult()).getShape();
  Value g = transpose(b, loc, grads[0], {1, 0, 2, 3});
  g = reshape(b, loc, g, {y[1], y[0] * y[2] * y[3]});
  Value cols = im2col(b, loc, getOperand(), window(), 0.0);
  Value w = reshape(b, loc, getWeight(), {wt[0], wt[1] * wt[2] * wt[3]});
  // Input: col2im of W^T g per group (the transposed convolution).
  Value dcols = perGroup(b, loc, getGroups(), {w, g}, [&](ArrayRef<Value> v) {
    return matmul(b, loc, v[0], v[1], true, false);
  });
  out.push_back(
      col2im(b, loc, dcols, typeOf(getOperand()).getShape(), window()));
  // Weight: g cols^T per group.
  Value dw = perGroup(b, loc, getGroups(), {g, cols}, [&](ArrayRef<Value> v) {
    return matmul(b, loc, v[0], v[1], false, true);
  });
  out.push_back(reshape(b, loc, dw, wt));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

namespace {

LogicalResult inferPool(MLIRContext *ctx, OptLoc loc, ValueRange operands,
                        DictionaryAttr attrs, SmallVectorImpl<Type> &results) {
  auto x = image(operands, 1, loc);
  auto w = readWindow(attrs, loc, {}, false);
  if (failed(x) || failed(w))
    return failure();
  for (int i = 0; i < 4; ++i)
    if (w->padding[i] > w->kernel[i / 2] / 2)
      return fail(loc, "padding " + shapeStr(w->padding) +
                           " must be at most half the kernel " +
                           shapeStr(w->kernel));
  auto out = windows(x->getShape(), *w, loc);
  if (failed(out))
    return failure();
  results.push_back(f32(ctx, *out));
  return success();
}

/// The pooled [N, C, OH, OW] of `op` from `reduce`, a reduction down the
/// columns of its channels.
template <typename PoolOp>
Value poolColumns(PoolOp op, OpBuilder &b, double pad,
                  function_ref<Value(Value cols)> reduce) {
  Location loc = op.getLoc();
  Value cols = im2col(b, loc, channelsAsImages(b, loc, op.getOperand()),
                      op.window(), pad);
  return reshape(b, loc, reduce(cols), typeOf(op.getResult()).getShape());
}

/// The gradient of a pooling op: the columns' adjoint `dcols` back to the
/// [N, C, H, W] image batch.
template <typename PoolOp>
Value poolInputGradient(PoolOp op, OpBuilder &b, Value dcols) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> x = typeOf(op.getOperand()).getShape();
  Value g = col2im(b, loc, dcols, {x[0] * x[1], 1, x[2], x[3]}, op.window());
  return reshape(b, loc, g, x);
}

/// `grads[0]` of a pooling op as one row, repeated down KH KW rows.
template <typename PoolOp>
Value gradientRows(PoolOp op, OpBuilder &b, Value g) {
  Location loc = op.getLoc();
  Window2d w = op.window();
  int64_t m = typeOf(g).getNumElements(), taps = w.kernel[0] * w.kernel[1];
  return b.create<BroadcastInDimOp>(loc, f32(b.getContext(), {taps, m}),
                                    reshape(b, loc, g, {m}),
                                    b.getDenseI64ArrayAttr({1}));
}

} // namespace

Window2d MaxPool2dOp::window() {
  static const int64_t ones[2] = {1, 1};
  return Window2d::get(getKernel(), getStrides(), getPadding(), ones);
}

Window2d AvgPool2dOp::window() {
  static const int64_t ones[2] = {1, 1};
  return Window2d::get(getKernel(), getStrides(), getPadding(), ones);
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                            ValueRange operands,
                                            DictionaryAttr attrs, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  return inferPool(ctx, loc, operands, attrs, results);
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                            ValueRange operands,
                                            DictionaryAttr attrs, RegionRange,
                                            SmallVectorImpl<Type> &results) {
  return inferPool(ctx, loc, operands, attrs, results);
}

Value MaxPool2dOp::decompose(OpBuilder &b) {
  double minusInf = -std::numeric_limits<double>::infinity();
  return poolColumns(*this, b, minusInf, [&](Value cols) -> Value {
    return b.create<ReduceMaxOp>(getLoc(), cols, b.getDenseI64ArrayAttr({0}),
                                 b.getBoolAttr(false));
  });
}

Value AvgPool2dOp::decompose(OpBuilder &b) {
  // The zero padding is part of every count (count_include_pad).
  return poolColumns(*this, b, 0.0, [&](Value cols) -> Value {
    return b.create<ReduceMeanOp>(getLoc(), cols, b.getDenseI64ArrayAttr({0}),
                                  b.getBoolAttr(false));
  });
}

LogicalResult MaxPool2dOp::buildGradients(OpBuilder &b, ValueRange grads,
                                          SmallVectorImpl<Value> &out) {
  // Each window's adjoint goes to its first maximum, as in PyTorch.
  Location loc = getLoc();
  Window2d w = window();
  double minusInf = -std::numeric_limits<double>::infinity();
  Value cols =
      im2col(b, loc, channelsAsImages(b, loc, getOperand()), w, minusInf);
  Value first = b.create<ArgmaxOp>(loc, cols, b.getI64IntegerAttr(0),
                                   b.getBoolAttr(false));
  Value hot = b.create<OneHotOp>(
      loc, first, b.getI64IntegerAttr(w.kernel[0] * w.kernel[1]));
  Value dcols = b.create<MulOp>(loc, transpose(b, loc, hot, {1, 0}),
                                gradientRows(*this, b, grads[0]));
  out.push_back(poolInputGradient(*this, b, dcols));
  return success();
}

LogicalResult AvgPool2dOp::buildGradients(OpBuilder &b, ValueRange grads,
                                          SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Window2d w = window();
  Value rows = gradientRows(*this, b, grads[0]);
  auto type = typeOf(rows);
  Value scale = b.create<ConstantOp>(
      loc, DenseElementsAttr::get(
               type, (float)(1.0 / (double)(w.kernel[0] * w.kernel[1]))));
  out.push_back(poolInputGradient(*this, b, b.create<MulOp>(loc, rows, scale)));
  return success();
}
