//===- TiledContraction.h - matrix products as shared-memory tiles -*- C++ -*-//
//
/// \file
/// What hebb-map-to-gpu does with a matrix product instead of one thread
/// per output element: 64x64 tiles staged through shared memory.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_PTX_TILEDCONTRACTION_H
#define HEBB_CODEGEN_PTX_TILEDCONTRACTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace hebb::ptx {

/// Whether `op` is a contraction on f32 buffers with static ranges (one
/// reduction loop, one column loop, any row and batch loops).
bool isTileableContraction(mlir::linalg::LinalgOp op);

/// Replaces such an op by a tiled gpu.launch; with `overwrite`, the sums
/// replace the output instead of adding to it (its fill with zeros is
/// gone). Fails, changing nothing, for any other op.
mlir::LogicalResult buildTiledContraction(mlir::RewriterBase &rewriter,
                                          mlir::linalg::LinalgOp op,
                                          bool overwrite = false);

} // namespace hebb::ptx

#endif // HEBB_CODEGEN_PTX_TILEDCONTRACTION_H
