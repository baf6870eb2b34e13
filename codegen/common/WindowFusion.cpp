//===- WindowFusion.cpp - window reductions without their columns ---------===//
//
// Pooling decomposes into im2col and a reduction down the columns, and its
// gradient into col2im of one-hot rows times the output gradient. Lowered
// one op at a time, every pooling layer would write its columns (KH·KW
// copies of the image) and read them back twice. These patterns, tried
// before the per-op lowerings, read the padded image directly:
//
//   reduce_max(im2col(x), axis 0)  -> max over each window
//   argmax(im2col(x), axis 0)      -> index of the window's first maximum
//   col2im(transpose(one_hot(idx)) * broadcast(v))
//                                  -> v[m] added at the tap idx[m] of window m
//
// over loops (n, oh, ow, c, i, j): windows outer, taps inner, so each
// window's result is written once. The im2col left without users is then
// dead. The computations are the per-op ones, element for element: taps
// in the same order, 1·v and 0·v as the product of the one-hot row.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/LinalgBuilders.h"
#include "codegen/common/Lowerings.h"
#include "codegen/common/WindowBuilders.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace hebb;
using namespace hebb::lowering;

namespace {

using utils::IteratorType;

/// Loops (n, oh, ow, c, i, j) onto the padded image (n, c, oh·s + i·d,
/// ow·s + j·d), and onto the [N, OH, OW] windows.
AffineMap imageMap(MLIRContext *ctx, const Window2d &w) {
  AffineExpr n, oh, ow, c, i, j;
  bindDims(ctx, n, oh, ow, c, i, j);
  return windowReadMap(w, n, c, oh, ow, i, j);
}

/// Loops onto the [KH, KW] taps, and a tensor of that shape: linalg finds
/// every loop's extent in an operand's shape, and no other operand has i
/// and j plainly (linalg's pooling ops take such a window operand too).
AffineMap tapsMap(MLIRContext *ctx) {
  AffineExpr n, oh, ow, c, i, j;
  bindDims(ctx, n, oh, ow, c, i, j);
  return AffineMap::get(6, 0, {i, j}, ctx);
}

Value tapsShape(OpBuilder &b, Location loc, const Window2d &w) {
  return emptyTensor(
      b, loc,
      RankedTensorType::get({w.kernel[0], w.kernel[1]}, b.getF32Type()));
}

AffineMap windowsMap(MLIRContext *ctx) {
  AffineExpr n, oh, ow, c, i, j;
  bindDims(ctx, n, oh, ow, c, i, j);
  return AffineMap::get(6, 0, {n, oh, ow}, ctx);
}

/// The row of the column matrix that loop point (c, i, j) reads, as i32.
Value tapIndex(OpBuilder &b, Location loc, const Window2d &w) {
  Value c = b.create<linalg::IndexOp>(loc, 3),
        i = b.create<linalg::IndexOp>(loc, 4),
        j = b.create<linalg::IndexOp>(loc, 5);
  auto cst = [&](int64_t v) {
    return b.create<arith::ConstantIndexOp>(loc, v);
  };
  Value row = b.create<arith::AddIOp>(
      loc, b.create<arith::MulIOp>(loc, c, cst(w.kernel[0])), i);
  Value tap = b.create<arith::AddIOp>(
      loc, b.create<arith::MulIOp>(loc, row, cst(w.kernel[1])), j);
  return b.create<arith::IndexCastOp>(loc, b.getI32Type(), tap);
}

/// The im2col whose columns `v` are, reduced along axis 0, or null.
Im2colOp columnsOf(Value v, ArrayRef<int64_t> axes) {
  auto im = v.getDefiningOp<Im2colOp>();
  return im && axes.size() == 1 && axes[0] == 0 ? im : Im2colOp();
}

/// [N, OH, OW] for the windows of `im`.
SmallVector<int64_t> windowShape(Im2colOp im) {
  ArrayRef<int64_t> in = tensorType(im.getOperand()).getShape();
  Window2d w = im.window();
  return {in[0], w.outputSize(0, in[2]), w.outputSize(1, in[3])};
}

/// The window maxima and the index of each window's first maximum (the
/// tap order is the column matrix's rows'), in one generic.
linalg::GenericOp windowArgmax(Im2colOp im, Location loc,
                               ConversionPatternRewriter &rewriter) {
  MLIRContext *ctx = rewriter.getContext();
  Window2d w = im.window();
  Value image =
      paddedImage(rewriter, loc, rewriter.getRemappedValue(im.getOperand()), w,
                  im.getValue().convertToDouble());
  Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
  auto valType = RankedTensorType::get(windowShape(im), f32);
  auto idxType = RankedTensorType::get(windowShape(im), i32);
  Value vals =
      filledTensor(rewriter, loc, valType, lowestValue(rewriter, loc, f32));
  Value idxs = filledTensor(rewriter, loc, idxType,
                            scalarConstant(rewriter, loc, i32, 0));
  const IteratorType p = IteratorType::parallel, r = IteratorType::reduction;
  auto op = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{valType, idxType},
      ValueRange{image, tapsShape(rewriter, loc, w)}, ValueRange{vals, idxs},
      ArrayRef<AffineMap>{imageMap(ctx, w), tapsMap(ctx), windowsMap(ctx),
                          windowsMap(ctx)},
      ArrayRef<IteratorType>{p, p, p, r, r, r},
      [&](OpBuilder &b, Location l, ValueRange a) {
        yieldFirstMaximum(b, l, a[0], tapIndex(b, l, w), a[2], a[3]);
      });
  op->setAttr(kWindowAttr, rewriter.getStringAttr(kFirstMaxWindow));
  return op;
}

/// The argmaxes down axis 0 of the columns of `im`.
SmallVector<ArgmaxOp> windowArgmaxes(Im2colOp im) {
  SmallVector<ArgmaxOp> found;
  for (Operation *user : im->getUsers())
    if (auto arg = dyn_cast<ArgmaxOp>(user))
      if (arg.getAxis() == 0 && !arg.getKeepdims())
        found.push_back(arg);
  return found;
}

Value lowerWindowArgmax(ArgmaxOp op, ArgmaxOp::Adaptor,
                        ConversionPatternRewriter &rewriter) {
  Im2colOp im = columnsOf(op.getOperand(), {int64_t(op.getAxis())});
  if (!im || op.getKeepdims())
    return {};
  return reshapeTensor(rewriter, op.getLoc(),
                       windowArgmax(im, op.getLoc(), rewriter).getResult(1),
                       tensorType(op.getResult()));
}

Value lowerWindowMax(ReduceMaxOp op, ReduceMaxOp::Adaptor,
                     ConversionPatternRewriter &rewriter) {
  Im2colOp im = columnsOf(op.getOperand(), op.getAxes());
  if (!im || op.getKeepdims())
    return {};
  Location loc = op.getLoc();
  // Training takes both the maxima and their taps (forward and gradient):
  // one generic computes both and replaces the argmaxes too (CSE does not
  // merge generics).
  SmallVector<ArgmaxOp> argmaxes = windowArgmaxes(im);
  if (!argmaxes.empty()) {
    linalg::GenericOp both = windowArgmax(im, loc, rewriter);
    for (ArgmaxOp arg : argmaxes)
      rewriter.replaceOp(arg, reshapeTensor(rewriter, loc, both.getResult(1),
                                            tensorType(arg.getResult())));
    return reshapeTensor(rewriter, loc, both.getResult(0),
                         tensorType(op.getResult()));
  }
  MLIRContext *ctx = rewriter.getContext();
  Window2d w = im.window();
  Value image =
      paddedImage(rewriter, loc, rewriter.getRemappedValue(im.getOperand()), w,
                  im.getValue().convertToDouble());
  auto type = RankedTensorType::get(windowShape(im), rewriter.getF32Type());
  Value init = filledTensor(rewriter, loc, type,
                            lowestValue(rewriter, loc, type.getElementType()));
  const IteratorType p = IteratorType::parallel, r = IteratorType::reduction;
  Value max =
      rewriter
          .create<linalg::GenericOp>(
              loc, TypeRange{type},
              ValueRange{image, tapsShape(rewriter, loc, w)}, ValueRange{init},
              ArrayRef<AffineMap>{imageMap(ctx, w), tapsMap(ctx),
                                  windowsMap(ctx)},
              ArrayRef<IteratorType>{p, p, p, r, r, r},
              [](OpBuilder &b, Location l, ValueRange a) {
                b.create<linalg::YieldOp>(
                    l, Value(b.create<arith::MaxFOp>(l, a[2], a[0])));
              })
          .getResult(0);
  return reshapeTensor(rewriter, loc, max, tensorType(op.getResult()));
}

/// `v` as transpose(one_hot(idx)) * broadcast(g): (idx, g), or nulls.
std::pair<Value, Value> oneHotRows(Value v) {
  auto mul = v.getDefiningOp<MulOp>();
  if (!mul)
    return {};
  for (auto [x, y] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                      std::make_pair(mul.getRhs(), mul.getLhs())}) {
    auto t = x.getDefiningOp<TransposeOp>();
    auto hot = t ? t.getOperand().getDefiningOp<OneHotOp>() : OneHotOp();
    auto bc = y.getDefiningOp<BroadcastInDimOp>();
    if (hot && t.getPermutation() == ArrayRef<int64_t>{1, 0} && bc &&
        bc.getBroadcastDimensions() == ArrayRef<int64_t>{1} &&
        tensorType(bc.getOperand()).getRank() == 1)
      return {hot.getOperand(), bc.getOperand()};
  }
  return {};
}

Value lowerOneHotScatter(Col2imOp op, Col2imOp::Adaptor,
                         ConversionPatternRewriter &rewriter) {
  auto [idx, g] = oneHotRows(op.getOperand());
  if (!idx)
    return {};
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Window2d w = op.window();
  auto outType = tensorType(op.getResult());
  ArrayRef<int64_t> out = outType.getShape();
  SmallVector<int64_t> windows = {out[0], w.outputSize(0, out[2]),
                                  w.outputSize(1, out[3])};
  Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
  Value idx3 = reshapeTensor(rewriter, loc, rewriter.getRemappedValue(idx),
                             RankedTensorType::get(windows, i32));
  Value g3 = reshapeTensor(rewriter, loc, rewriter.getRemappedValue(g),
                           RankedTensorType::get(windows, f32));
  Value acc = zeroPaddedImage(rewriter, loc, outType, w);
  // Only n and c index the image plainly: the others are reductions.
  const IteratorType p = IteratorType::parallel, r = IteratorType::reduction;
  auto scatter = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{acc.getType()},
      ValueRange{idx3, g3, tapsShape(rewriter, loc, w)}, ValueRange{acc},
      ArrayRef<AffineMap>{windowsMap(ctx), windowsMap(ctx), tapsMap(ctx),
                          imageMap(ctx, w)},
      ArrayRef<IteratorType>{p, r, r, p, r, r},
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, a[0],
                                            tapIndex(b, l, w));
        Value hot = b.create<arith::SelectOp>(
            l, hit, scalarConstant(b, l, f32, 1), scalarConstant(b, l, f32, 0));
        Value term = b.create<arith::MulFOp>(l, hot, a[1]);
        b.create<linalg::YieldOp>(
            l, Value(b.create<arith::AddFOp>(l, a[3], term)));
      });
  scatter->setAttr(kWindowAttr, rewriter.getStringAttr(kMaxScatterWindow));
  return cropPadding(rewriter, loc, scatter.getResult(0), outType, w);
}

/// A convolution's products read the image directly (libhebbrt's
/// ConvForward.cpp and ConvFilterGrad.cpp) when it has at most this many
/// taps (C·KH·KW) per output, or at least this many output channels (a
/// vector of them). Through a column matrix
/// the image is copied once per tap, written and read twice, for as few
/// multiply-adds per element. Measured on one thread, Intel Xeon with
/// AVX-512, batch 128, forward + filter gradient in µs, columns (im2col,
/// product, dot products) against direct:
///   LeNet-5 conv1 (1→6, 5x5, 28x28 windows):  431 + 531 + 546 | 242 + 328
///   LeNet-5 conv2 (6→16, 5x5, 10x10):         345 + 745 + 836 | 414 + 449
///   3→16, 3x3, 32x32:                         574 + 1704 + 1632 | 843 + 1429
///   16→32, 3x3, 32x32:                        3476 + 14842 + 16207 | 6978 +
///   14258 32→64, 3x3, 16x16:                        2073 + 14267 + 14732 |
///   8682 + 19674 64→128, 3x3, 8x8:                         1033 + 10637 +
///   14066 | 8413 + 11429
constexpr int64_t kDirectConvMaxTaps = 32;
constexpr int64_t kDirectConvMinChannels = 16;

/// The im2col under a product of `channels` rows that the direct
/// convolution kernels take: zero padding, unit horizontal stride (rows of
/// windows are vectors), at least 8 windows a row, and few taps or many
/// output channels; else null.
Im2colOp directColumns(Value v, int64_t channels) {
  auto im = v.getDefiningOp<Im2colOp>();
  if (!im || im.getValue().convertToDouble() != 0.0)
    return {};
  Window2d w = im.window();
  ArrayRef<int64_t> in = tensorType(im.getOperand()).getShape();
  if (w.strides[1] != 1 || w.outputSize(1, in[3]) < 8 ||
      (in[1] * w.kernel[0] * w.kernel[1] > kDirectConvMaxTaps &&
       channels < kDirectConvMinChannels))
    return {};
  return im;
}

/// matmul(W, im2col(x)) and matmul(g, im2col(x))ᵀ, the forward product and
/// filter gradient of a convolution, over the padded image: loops (o, n,
/// oh, ow, c, i, j) summing w[o, c, i, j] · x[n, c, oh·s + i·d, ow + j·d]
/// into [O, N, OH, OW], or (o, c, i, j, n, oh, ow) summing g[o, n, oh, ow]
/// · x[...] into [O, C, KH, KW]. The taps (or windows) are summed in the
/// column matrix's order.
Value lowerDirectConv(MatmulOp op, MatmulOp::Adaptor adaptor,
                      ConversionPatternRewriter &rewriter) {
  Im2colOp im =
      directColumns(op.getRhs(), tensorType(op.getLhs()).getDimSize(0));
  if (!im || op.getTransposeLhs() ||
      !tensorType(op.getLhs()).getElementType().isF32())
    return {};
  const bool filterGrad = op.getTransposeRhs();
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Window2d w = im.window();
  ArrayRef<int64_t> in = tensorType(im.getOperand()).getShape();
  SmallVector<int64_t> win = windowShape(im);
  const int64_t o = tensorType(op.getLhs()).getDimSize(0);
  Type f32 = rewriter.getF32Type();
  auto kernelType =
      RankedTensorType::get({o, in[1], w.kernel[0], w.kernel[1]}, f32);
  auto outType = RankedTensorType::get({o, win[0], win[1], win[2]}, f32);
  Value image = paddedImage(rewriter, loc,
                            rewriter.getRemappedValue(im.getOperand()), w, 0.0);
  Value lhs = reshapeTensor(rewriter, loc, adaptor.getLhs(),
                            filterGrad ? outType : kernelType);
  auto resultType = filterGrad ? kernelType : outType;
  Value init = filledTensor(rewriter, loc, resultType,
                            scalarConstant(rewriter, loc, f32, 0));
  AffineExpr d[7];
  bindDims(ctx, d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
  // Roles of the loops, in the order above.
  AffineExpr lo = d[0], n = d[filterGrad ? 4 : 1], oh = d[filterGrad ? 5 : 2],
             ow = d[filterGrad ? 6 : 3], c = d[filterGrad ? 1 : 4],
             i = d[filterGrad ? 2 : 5], j = d[filterGrad ? 3 : 6];
  AffineMap kernelMap = AffineMap::get(7, 0, {lo, c, i, j}, ctx),
            outMap = AffineMap::get(7, 0, {lo, n, oh, ow}, ctx),
            imageMap = windowReadMap(w, n, c, oh, ow, i, j, 7);
  const IteratorType p = IteratorType::parallel, r = IteratorType::reduction;
  SmallVector<IteratorType> iterators = {p, p, p, p, r, r, r};
  auto generic = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, ValueRange{lhs, image}, ValueRange{init},
      ArrayRef<AffineMap>{filterGrad ? outMap : kernelMap, imageMap,
                          filterGrad ? kernelMap : outMap},
      iterators, [](OpBuilder &b, Location l, ValueRange a) {
        Value prod = b.create<arith::MulFOp>(l, a[0], a[1]);
        b.create<linalg::YieldOp>(
            l, Value(b.create<arith::AddFOp>(l, a[2], prod)));
      });
  generic->setAttr(
      kWindowAttr,
      rewriter.getStringAttr(filterGrad ? kConvFilterGradWindow : kConvWindow));
  return reshapeTensor(rewriter, loc, generic.getResult(0),
                       tensorType(op.getResult()));
}

} // namespace

void hebb::populateWindowFusions(RewritePatternSet &patterns) {
  // Before the per-op lowerings of the same ops (benefit 1).
  patterns.add<Lowering<ReduceMaxOp, lowerWindowMax>,
               Lowering<ArgmaxOp, lowerWindowArgmax>,
               Lowering<Col2imOp, lowerOneHotScatter>,
               Lowering<MatmulOp, lowerDirectConv>>(patterns.getContext(),
                                                    /*benefit=*/2);
}
