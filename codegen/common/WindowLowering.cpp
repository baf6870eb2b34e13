//===- WindowLowering.cpp - im2col and col2im to linalg -------------------===//
//
// im2col: the image batch is padded (a filled tensor with the image
// inserted), then one all-parallel generic gathers the 6-D
// [C, KH, KW, N, OH, OW] tensor - loops in that order, so the innermost
// walks output columns and, at stride 1, contiguous input - which
// collapses for free to the [C KH KW, N OH OW] columns.
//
// col2im: the columns are expanded back to 6-D and a generic adds each
// into the zero-filled padded image at the same affine position im2col
// read it from (the tap and window loops are reductions: several columns
// land on one image element); the padding is then sliced away.
//
//===----------------------------------------------------------------------===//

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

/// The image batch's shape with the window's padding added.
SmallVector<int64_t> paddedShape(ArrayRef<int64_t> image, const Window2d &w) {
  return {image[0], image[1], image[2] + w.before(0) + w.after(0),
          image[3] + w.before(1) + w.after(1)};
}

/// Offsets, sizes and unit strides of the image inside its padded form.
void imageRegion(OpBuilder &b, ArrayRef<int64_t> image, const Window2d &w,
                 SmallVectorImpl<OpFoldResult> &offsets,
                 SmallVectorImpl<OpFoldResult> &sizes,
                 SmallVectorImpl<OpFoldResult> &strides) {
  int64_t start[4] = {0, 0, w.before(0), w.before(1)};
  for (int i = 0; i < 4; ++i) {
    offsets.push_back(b.getIndexAttr(start[i]));
    sizes.push_back(b.getIndexAttr(image[i]));
    strides.push_back(b.getIndexAttr(1));
  }
}

/// (N, C, H, W) of the padded image read by tap (i, j) of window (oh, ow),
/// over loops (c, i, j, n, oh, ow).
AffineMap paddedImageMap(MLIRContext *ctx, const Window2d &w) {
  AffineExpr c, i, j, n, oh, ow;
  bindDims(ctx, c, i, j, n, oh, ow);
  return windowReadMap(w, n, c, oh, ow, i, j);
}

SmallVector<ReassociationIndices> columnGroups() {
  return {{0, 1, 2}, {3, 4, 5}};
}

Value lowerIm2col(Im2colOp op, Im2colOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Window2d w = op.window();
  ArrayRef<int64_t> in = tensorType(adaptor.getOperand()).getShape();
  Value image = paddedImage(rewriter, loc, adaptor.getOperand(), w,
                            op.getValue().convertToDouble());
  auto six =
      RankedTensorType::get({in[1], w.kernel[0], w.kernel[1], in[0],
                             w.outputSize(0, in[2]), w.outputSize(1, in[3])},
                            rewriter.getF32Type());
  Value gathered = elementwiseGeneric(
      rewriter, loc, six, image, {paddedImageMap(rewriter.getContext(), w)},
      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return rewriter.create<tensor::CollapseShapeOp>(
      loc, tensorType(op.getResult()), gathered, columnGroups());
}

Value lowerCol2im(Col2imOp op, Col2imOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Window2d w = op.window();
  auto outType = tensorType(op.getResult());
  ArrayRef<int64_t> out = outType.getShape();
  auto six =
      RankedTensorType::get({out[1], w.kernel[0], w.kernel[1], out[0],
                             w.outputSize(0, out[2]), w.outputSize(1, out[3])},
                            outType.getElementType());
  Value cols = rewriter.create<tensor::ExpandShapeOp>(
      loc, six, adaptor.getOperand(), columnGroups());
  Value acc = zeroPaddedImage(rewriter, loc, outType, w);
  auto paddedType = tensorType(acc);
  using utils::IteratorType;
  SmallVector<IteratorType> iterators = {
      IteratorType::parallel, IteratorType::reduction, IteratorType::reduction,
      IteratorType::parallel, IteratorType::reduction, IteratorType::reduction};
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(6, ctx),
                                 paddedImageMap(ctx, w)};
  Value sum = rewriter
                  .create<linalg::GenericOp>(
                      loc, TypeRange{paddedType}, ValueRange{cols},
                      ValueRange{acc}, maps, iterators,
                      [](OpBuilder &b, Location l, ValueRange a) {
                        Value s = b.create<arith::AddFOp>(l, a[1], a[0]);
                        b.create<linalg::YieldOp>(l, s);
                      })
                  .getResult(0);
  return cropPadding(rewriter, loc, sum, outType, w);
}

} // namespace

AffineMap hebb::lowering::windowReadMap(const Window2d &w, AffineExpr n,
                                        AffineExpr c, AffineExpr oh,
                                        AffineExpr ow, AffineExpr i,
                                        AffineExpr j, unsigned loops) {
  return AffineMap::get(loops, 0,
                        {n, c, oh * w.strides[0] + i * w.dilation[0],
                         ow * w.strides[1] + j * w.dilation[1]},
                        n.getContext());
}

Value hebb::lowering::paddedImage(OpBuilder &b, Location loc, Value image,
                                  const Window2d &w, double value) {
  if (llvm::all_of(w.padding, [](int64_t p) { return p == 0; }))
    return image;
  ArrayRef<int64_t> in = tensorType(image).getShape();
  Type f32 = b.getF32Type();
  Value padded =
      filledTensor(b, loc, RankedTensorType::get(paddedShape(in, w), f32),
                   scalarConstant(b, loc, f32, value));
  SmallVector<OpFoldResult> offsets, sizes, strides;
  imageRegion(b, in, w, offsets, sizes, strides);
  return b.create<tensor::InsertSliceOp>(loc, image, padded, offsets, sizes,
                                         strides);
}

Value hebb::lowering::zeroPaddedImage(OpBuilder &b, Location loc,
                                      RankedTensorType image,
                                      const Window2d &w) {
  auto type = RankedTensorType::get(paddedShape(image.getShape(), w),
                                    image.getElementType());
  return filledTensor(b, loc, type,
                      scalarConstant(b, loc, image.getElementType(), 0));
}

Value hebb::lowering::cropPadding(OpBuilder &b, Location loc, Value padded,
                                  RankedTensorType image, const Window2d &w) {
  if (tensorType(padded) == image)
    return padded;
  SmallVector<OpFoldResult> offsets, sizes, strides;
  imageRegion(b, image.getShape(), w, offsets, sizes, strides);
  return b.create<tensor::ExtractSliceOp>(loc, image, padded, offsets, sizes,
                                          strides);
}

void hebb::populateWindowLowerings(RewritePatternSet &patterns) {
  patterns
      .add<Lowering<Im2colOp, lowerIm2col>, Lowering<Col2imOp, lowerCol2im>>(
          patterns.getContext());
}
