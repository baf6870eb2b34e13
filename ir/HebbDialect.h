//===- HebbDialect.h - the hebb dialect and its ops -------------*- C++ -*-===//
//
/// \file
/// Declares the hebb dialect, its traits, enums and every op generated from
/// HebbOps.td. Include this header to use any of them.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_IR_HEBBDIALECT_H
#define HEBB_IR_HEBBDIALECT_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ir/Window.h"

namespace hebb {
namespace OpTrait {
/// Marks ops without a derivative (indices, masks, constants).
template <typename ConcreteType>
class NonDifferentiable
    : public mlir::OpTrait::TraitBase<ConcreteType, NonDifferentiable> {};
/// Marks ops that reduce one or more axes of their operand.
template <typename ConcreteType>
class Reduction : public mlir::OpTrait::TraitBase<ConcreteType, Reduction> {};
/// Marks ops that only move or copy data.
template <typename ConcreteType>
class DataMovement
    : public mlir::OpTrait::TraitBase<ConcreteType, DataMovement> {};
} // namespace OpTrait
} // namespace hebb

#include "ir/HebbDialect.h.inc"
#include "ir/HebbEnums.h.inc"
#include "ir/HebbInterfaces.h.inc"

#define GET_OP_CLASSES
#include "ir/HebbOps.h.inc"

#endif // HEBB_IR_HEBBDIALECT_H
