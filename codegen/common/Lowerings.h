//===- Lowerings.h - shared pieces of the hebb-to-linalg patterns -*- C++
//-*-===//

#ifndef HEBB_CODEGEN_COMMON_LOWERINGS_H
#define HEBB_CODEGEN_COMMON_LOWERINGS_H

#include "mlir/Transforms/DialectConversion.h"

namespace hebb {

/// A conversion pattern that computes the value replacing its op. `Derived`
/// defines `mlir::Value lower(OpTy, typename OpTy::Adaptor,
/// mlir::ConversionPatternRewriter &) const`; a null value is a match
/// failure.
template <typename OpTy, typename Derived>
struct Lowering : mlir::OpConversionPattern<OpTy> {
  using mlir::OpConversionPattern<OpTy>::OpConversionPattern;
  mlir::LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  mlir::ConversionPatternRewriter &rewriter) const override {
    mlir::Value v =
        static_cast<const Derived *>(this)->lower(op, adaptor, rewriter);
    if (!v)
      return mlir::failure();
    rewriter.replaceOp(op, v);
    return mlir::success();
  }
};

/// hebb.random_uniform (Philox per element) and hebb.dropout (identity).
void populateRandomLowerings(mlir::RewritePatternSet &patterns);

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_LOWERINGS_H
