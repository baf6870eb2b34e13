//===- HebbDialect.cpp - dialect registration -----------------------------===//
//
// Registers the ops and materialises folded constants as hebb.constant.
//
//===----------------------------------------------------------------------===//

#include "ir/HebbDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace hebb;

#include "ir/HebbDialect.cpp.inc"
#include "ir/HebbEnums.cpp.inc"

void HebbDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ir/HebbOps.cpp.inc"
      >();
}

Operation *HebbDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = value.dyn_cast<ElementsAttr>();
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, type, elements);
}
