//===- BlockReduction.h - reductions as one block per output ----*- C++ -*-===//
//
/// \file
/// What hebb-map-to-gpu does with a long reduction into few outputs (a
/// loss, a clipping norm, a bias gradient): a block of threads per output,
/// meeting in shared memory.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_PTX_BLOCKREDUCTION_H
#define HEBB_CODEGEN_PTX_BLOCKREDUCTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace hebb::ptx {

/// Replaces `op` (static ranges, one f32 or f64 output, body `out = out op x`
/// with op one of addf, maxf, minf) by a block reduction when its reduction has
/// 64 points or more and its outputs are at most 8192; with `overwrite`
/// the total replaces the output instead of combining with it. Fails,
/// changing nothing, otherwise.
mlir::LogicalResult buildBlockReduction(mlir::RewriterBase &rewriter,
                                        mlir::linalg::LinalgOp op,
                                        bool overwrite = false);

/// Whether buildBlockReduction takes `op` and its combiner is a sum (a
/// zero fill before it can then be dropped, with `overwrite`).
bool isBlockReducibleSum(mlir::linalg::LinalgOp op);

} // namespace hebb::ptx

#endif // HEBB_CODEGEN_PTX_BLOCKREDUCTION_H
