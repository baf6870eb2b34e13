//===- ScalarLowering.h - elementwise hebb ops as scalar code ---*- C++ -*-===//
//
/// \file
/// The scalar body (arith/math) of every elementwise hebb op, used inside
/// linalg.generic regions by the lowering and, later, by fused regions.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMMON_SCALARLOWERING_H
#define HEBB_CODEGEN_COMMON_SCALARLOWERING_H

#include "mlir/IR/Builders.h"

namespace hebb::lowering {

/// Emits the scalar computation of elementwise op `op` on scalar `args`
/// (one per operand). Returns null for ops that are not elementwise.
mlir::Value lowerScalar(mlir::Operation *op, mlir::OpBuilder &b,
                        mlir::Location loc, mlir::ValueRange args);

} // namespace hebb::lowering

#endif // HEBB_CODEGEN_COMMON_SCALARLOWERING_H
