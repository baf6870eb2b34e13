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

/// Replaces `op`, a contraction on f32 buffers with static ranges (one
/// reduction loop, one column loop, any row and batch loops), by a tiled
/// gpu.launch. Fails, changing nothing, for any other op.
mlir::LogicalResult buildTiledContraction(mlir::RewriterBase &rewriter,
                                          mlir::linalg::LinalgOp op);

} // namespace hebb::ptx

#endif // HEBB_CODEGEN_PTX_TILEDCONTRACTION_H
