//===- WindowBuilders.h - padded images for window lowerings ----*- C++ -*-===//
//
// What the im2col/col2im lowerings and the fused window lowerings share:
// the padded image a window reads, and the crop back to the image.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMMON_WINDOWBUILDERS_H
#define HEBB_CODEGEN_COMMON_WINDOWBUILDERS_H

#include "ir/Window.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace hebb::lowering {

/// Over `loops` loops, among them n, c, oh, ow and the tap (i, j): the element
/// (n, c, oh·sh + i·dh, ow·sw + j·dw) of the padded image that tap (i, j)
/// of window (oh, ow) reads.
mlir::AffineMap windowReadMap(const Window2d &w, mlir::AffineExpr n,
                              mlir::AffineExpr c, mlir::AffineExpr oh,
                              mlir::AffineExpr ow, mlir::AffineExpr i,
                              mlir::AffineExpr j, unsigned loops = 6);

/// The NCHW `image` with `w`'s padding of `value` around it (`image`
/// itself when the window has none).
mlir::Value paddedImage(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value image, const Window2d &w, double value);

/// A zero tensor of the padded shape of an `image`-typed batch.
mlir::Value zeroPaddedImage(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::RankedTensorType image, const Window2d &w);

/// The `image`-typed interior of a padded batch.
mlir::Value cropPadding(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value padded, mlir::RankedTensorType image,
                        const Window2d &w);

} // namespace hebb::lowering

#endif // HEBB_CODEGEN_COMMON_WINDOWBUILDERS_H
