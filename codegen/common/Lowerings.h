//===- Lowerings.h - shared pieces of the hebb-to-linalg patterns -*- C++
//-*-===//

#ifndef HEBB_CODEGEN_COMMON_LOWERINGS_H
#define HEBB_CODEGEN_COMMON_LOWERINGS_H

#include "mlir/Transforms/DialectConversion.h"

namespace hebb {

/// The conversion pattern of a lowering function: `Fn` computes the value
/// that replaces the op (null: no match). Lowerings are functions, one per
/// op, registered as `Lowering<OpTy, lowerOp>`.
template <typename OpTy, mlir::Value (*Fn)(OpTy, typename OpTy::Adaptor,
                                           mlir::ConversionPatternRewriter &)>
struct Lowering : mlir::OpConversionPattern<OpTy> {
  using mlir::OpConversionPattern<OpTy>::OpConversionPattern;
  mlir::LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  mlir::ConversionPatternRewriter &rewriter) const override {
    mlir::Value v = Fn(op, adaptor, rewriter);
    if (!v)
      return mlir::failure();
    rewriter.replaceOp(op, v);
    return mlir::success();
  }
};

/// hebb.random_uniform (Philox per element) and hebb.dropout (identity).
void populateRandomLowerings(mlir::RewritePatternSet &patterns);

/// hebb.im2col (a gather from the padded image) and hebb.col2im (a
/// scatter-add into it).
void populateWindowLowerings(mlir::RewritePatternSet &patterns);

/// hebb.gather (rows of a table by index) and hebb.scatter_add (its
/// adjoint).
void populateGatherLowerings(mlir::RewritePatternSet &patterns);

/// Pooling's reductions and its one-hot gradient read the padded image
/// directly instead of im2col's columns (WindowFusion.cpp).
void populateWindowFusions(mlir::RewritePatternSet &patterns);

/// Replaces every composite op under `root` (batch_norm, conv2d, the
/// pooling ops) by the primitive hebb ops it declares.
void decomposeCompositeOps(mlir::Operation *root);

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_LOWERINGS_H
