//===- Outline.h - a loop nest moved into a function of its own -*- C++ -*-===//
//
// What hebb-outline-kernels and hebb-parallel-loops share: a linalg op on
// buffers becomes a private, never-inlined function called in its place.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMMON_OUTLINE_H
#define HEBB_CODEGEN_COMMON_OUTLINE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>

namespace hebb {

struct Outlined {
  mlir::func::FuncOp callee;
  /// The op's copy in the callee's body, right before its return.
  mlir::Operation *body;
};

/// Moves `op` into `name`, an internal, never-inlined function placed after
/// `parent`. Its arguments are the values `op` uses (first-use order;
/// constants are cloned in instead), then one per value of `trailing`; the
/// call that replaces `op` passes those values. Nothing changes, and the
/// result is empty, when a used value is neither a static identity-layout
/// buffer nor a scalar (the bare-pointer calling convention).
std::optional<Outlined> outlineToFunction(mlir::func::FuncOp parent,
                                          mlir::Operation *op,
                                          llvm::StringRef name,
                                          mlir::ValueRange trailing = {});

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_OUTLINE_H
