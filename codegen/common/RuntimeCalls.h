//===- RuntimeCalls.h - calling libhebbrt kernels from buffers --*- C++ -*-===//
//
// What the passes that replace loop nests with libhebbrt calls share:
// buffer addresses, the zero fill a kernel can absorb, and declarations.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMMON_RUNTIMECALLS_H
#define HEBB_CODEGEN_COMMON_RUNTIMECALLS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace hebb {

/// The address (as an index) of element 0 of `buffer`, offset included.
mlir::Value bufferAddress(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value buffer);

/// A zero fill of exactly `buffer` right before `op`, or null.
mlir::linalg::FillOp zeroFillBefore(mlir::Operation *op, mlir::Value buffer);

/// The external function `name` of `type`, declared once; null (with an
/// error on the module) when the name is taken by another type.
mlir::func::FuncOp declareRuntimeFunction(mlir::ModuleOp module,
                                          llvm::StringRef name,
                                          mlir::FunctionType type);

/// Whether `v` is an f32 (else i32) buffer of `rank` dims, static and
/// contiguous.
bool isContiguous(mlir::Value v, int64_t rank, bool f32 = true);

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_RUNTIMECALLS_H
