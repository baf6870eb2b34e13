//===- LinalgBuilders.h - small builders for the hebb lowering --*- C++ -*-===//
//
/// \file
/// Builders shared by the hebb → linalg patterns: empty/filled tensors,
/// elementwise and reduction generics, and reshapes through 1-D.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMMON_LINALGBUILDERS_H
#define HEBB_CODEGEN_COMMON_LINALGBUILDERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace hebb::lowering {

/// The (ranked) tensor type of a value the lowerings know to be a tensor.
inline mlir::RankedTensorType tensorType(mlir::Value v) {
  return v.getType().cast<mlir::RankedTensorType>();
}

using BodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                              mlir::ValueRange)>;

/// A tensor.empty of `type`.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);

/// A tensor of `type` filled with the scalar `value`.
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value value);

/// A scalar constant of `type` (f32 or an integer type).
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);

/// The lowest value of an element type: -inf for floats, INT_MIN for ints.
mlir::Value lowestValue(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Type type);

/// One step of an argmax: yields (best, index) updated with element `x` at
/// i32 position `idx`. Strictly greater keeps the first maximum; position 0
/// always wins, so an all -inf run still gives index 0.
void yieldFirstMaximum(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       mlir::Value idx, mlir::Value best, mlir::Value bestIdx);

/// An all-parallel linalg.generic producing `resultType`. `inputMaps` index
/// each input by the result's iteration space; `body` gets one scalar per
/// input and returns the result element.
mlir::Value elementwiseGeneric(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::RankedTensorType resultType,
                               mlir::ValueRange inputs,
                               llvm::ArrayRef<mlir::AffineMap> inputMaps,
                               BodyFn body);

/// elementwiseGeneric with identity maps (all inputs have the result shape).
mlir::Value mapTensors(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::RankedTensorType resultType,
                       mlir::ValueRange inputs, BodyFn body);

/// Reduces `axes` of `input` (dropped from the result) starting from `init`,
/// combining with `combine(acc, element)`.
mlir::Value
reduceTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
             llvm::ArrayRef<int64_t> axes, mlir::Value init,
             llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                            mlir::Value, mlir::Value)>
                 combine);

/// The map from an iteration space of `rank` dims onto a tensor that lacks
/// `axes` (the result of reduceTensor).
mlir::AffineMap droppedAxesMap(mlir::MLIRContext *ctx, int64_t rank,
                               llvm::ArrayRef<int64_t> axes);

/// Reinterprets `value` with the shape of `type` (same element count).
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value value, mlir::RankedTensorType type);

} // namespace hebb::lowering

#endif // HEBB_CODEGEN_COMMON_LINALGBUILDERS_H
