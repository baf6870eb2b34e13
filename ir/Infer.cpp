//===- Infer.cpp - helpers of shape inference -----------------------------===//

#include "ir/Infer.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace hebb::infer {

RankedTensorType tensorOf(Value v) {
  return v ? v.getType().dyn_cast<RankedTensorType>() : RankedTensorType();
}

LogicalResult fail(OptLoc loc, const Twine &msg) {
  return emitOptionalError(loc, msg);
}

FailureOr<ArrayRef<int64_t>> i64Array(DictionaryAttr attrs, StringRef name,
                                      OptLoc loc) {
  auto attr = attrs ? attrs.get(name).dyn_cast_or_null<DenseI64ArrayAttr>()
                    : DenseI64ArrayAttr();
  if (!attr) {
    (void)fail(loc, "requires attribute '" + name + "' (array of integers)");
    return failure();
  }
  return attr.asArrayRef();
}

FailureOr<int64_t> i64Attr(DictionaryAttr attrs, StringRef name, OptLoc loc) {
  auto attr =
      attrs ? attrs.get(name).dyn_cast_or_null<IntegerAttr>() : IntegerAttr();
  if (!attr) {
    (void)fail(loc, "requires attribute '" + name + "' (integer)");
    return failure();
  }
  return attr.getValue().getSExtValue();
}

bool boolAttr(DictionaryAttr attrs, StringRef name) {
  auto attr = attrs ? attrs.get(name).dyn_cast_or_null<BoolAttr>() : BoolAttr();
  return attr && attr.getValue();
}

std::string str(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "'" << t << "'";
  return os.str();
}

FailureOr<RankedTensorType> operandTensor(ValueRange operands, unsigned index,
                                          OptLoc loc) {
  if (operands.size() <= index) {
    (void)fail(loc, "expects at least " + Twine(index + 1) + " operands, got " +
                        Twine(operands.size()));
    return failure();
  }
  auto t = tensorOf(operands[index]);
  if (!t || !t.hasStaticShape()) {
    (void)fail(loc, "operand " + Twine(index) +
                        " must be a statically shaped tensor");
    return failure();
  }
  return t;
}

LogicalResult expectOperands(ValueRange operands, unsigned n, OptLoc loc) {
  if (operands.size() != n)
    return fail(loc, "expects " + Twine(n) + " operand" + (n == 1 ? "" : "s") +
                         ", got " + Twine(operands.size()));
  return success();
}

FailureOr<RankedTensorType> firstOperand(ValueRange operands, unsigned n,
                                         OptLoc loc) {
  if (failed(expectOperands(operands, n, loc)))
    return failure();
  return operandTensor(operands, 0, loc);
}

FailureOr<RankedTensorType> onlyOperand(ValueRange operands, OptLoc loc) {
  return firstOperand(operands, 1, loc);
}

LogicalResult twoOperands(ValueRange operands, OptLoc loc,
                          RankedTensorType &lhs, RankedTensorType &rhs) {
  auto l = firstOperand(operands, 2, loc);
  auto r = operandTensor(operands, 1, loc);
  if (failed(l) || failed(r))
    return failure();
  lhs = *l;
  rhs = *r;
  return success();
}

LogicalResult operandAndInt(ValueRange operands, DictionaryAttr attrs,
                            StringRef name, OptLoc loc, RankedTensorType &t,
                            int64_t &value) {
  auto operand = onlyOperand(operands, loc);
  auto attr = i64Attr(attrs, name, loc);
  if (failed(operand) || failed(attr))
    return failure();
  t = *operand;
  value = *attr;
  return success();
}

LogicalResult checkAxis(int64_t axis, int64_t rank, StringRef name,
                        RankedTensorType t, OptLoc loc) {
  if (axis < 0 || axis >= rank)
    return fail(loc,
                name + " " + Twine(axis) + " is out of range for " + str(t));
  return success();
}

} // namespace hebb::infer
