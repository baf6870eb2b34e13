//===- Infer.h - helpers of shape inference ---------------------*- C++ -*-===//
//
/// \file
/// Reading operands and attributes defensively in inferReturnTypes: each
/// helper reports a one-line error at `loc` and returns failure when what it
/// reads is missing or malformed (the frontend calls the rules on operands
/// and attributes no verifier has seen yet).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_IR_INFER_H
#define HEBB_IR_INFER_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/IR/Value.h"
#include "mlir/IR/ValueRange.h"

#include <optional>
#include <string>

namespace hebb::infer {

using OptLoc = std::optional<mlir::Location>;
using namespace mlir;

/// The ranked tensor type of `v`, or null.
RankedTensorType tensorOf(Value v);

/// Emits `msg` at `loc` (when there is one) and fails.
LogicalResult fail(OptLoc loc, const Twine &msg);

/// A required dense i64 array attribute.
FailureOr<ArrayRef<int64_t>> i64Array(DictionaryAttr attrs, StringRef name,
                                      OptLoc loc);

/// A required i64 attribute.
FailureOr<int64_t> i64Attr(DictionaryAttr attrs, StringRef name, OptLoc loc);

/// An optional bool attribute: false when absent.
bool boolAttr(DictionaryAttr attrs, StringRef name);

/// `t` in quotes, for messages.
std::string str(Type t);

/// Operand `index`, which must be a statically shaped tensor.
FailureOr<RankedTensorType> operandTensor(ValueRange operands, unsigned index,
                                          OptLoc loc);

/// Fails unless there are exactly `n` operands.
LogicalResult expectOperands(ValueRange operands, unsigned n, OptLoc loc);

/// The first operand of an op with `n` of them.
FailureOr<RankedTensorType> firstOperand(ValueRange operands, unsigned n,
                                         OptLoc loc);

/// The operand of a one-operand op.
FailureOr<RankedTensorType> onlyOperand(ValueRange operands, OptLoc loc);

/// Both operands of a two-operand op.
LogicalResult twoOperands(ValueRange operands, OptLoc loc,
                          RankedTensorType &lhs, RankedTensorType &rhs);

/// The operand of a one-operand op and its integer attribute `name`.
LogicalResult operandAndInt(ValueRange operands, DictionaryAttr attrs,
                            StringRef name, OptLoc loc, RankedTensorType &t,
                            int64_t &value);

/// Fails unless 0 <= axis < rank.
LogicalResult checkAxis(int64_t axis, int64_t rank, StringRef name,
                        RankedTensorType t, OptLoc loc);

} // namespace hebb::infer

#endif // HEBB_IR_INFER_H
