//===- Adjoints.h - reverse mode over a block of hebb ops -------*- C++ -*-===//
//
/// The engine of hebb-autodiff, shared with ops whose gradient
/// differentiates a body of their own (hebb.scan): adjoints of values,
/// accumulated over fan-out, filled in by visiting ops in reverse program
/// order. Values that are not f32 tensors carry no adjoint.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_IR_ADJOINTS_H
#define HEBB_IR_ADJOINTS_H

#include "ir/HebbDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

namespace hebb {

/// Whether `v` is an f32 tensor (the values that have adjoints).
bool isFloatTensor(mlir::Value v);

/// A constant of `v`'s type with every element 0.
mlir::Value zerosLike(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

struct Adjoints {
  mlir::OpBuilder &b;
  llvm::DenseMap<mlir::Value, mlir::Value> of;

  /// Adds `g` to the adjoint of `v`.
  void accumulate(mlir::Value v, mlir::Value g);
  /// The adjoint of `v`, or zeros when it has none.
  mlir::Value orZeros(mlir::Value v, mlir::Location loc);
  /// Adds the adjoints of `op`'s operands from those of its results, which
  /// must be complete (every later op visited). Ops marked
  /// NonDifferentiable and ops with no result adjoint contribute nothing;
  /// any other op without DifferentiableOpInterface is an error naming it.
  mlir::LogicalResult visit(mlir::Operation *op);
};

} // namespace hebb

#endif // HEBB_IR_ADJOINTS_H
