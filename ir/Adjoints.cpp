//===- Adjoints.cpp - reverse mode over a block of hebb ops ---------------===//

#include "ir/Adjoints.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace hebb {

bool isFloatTensor(Value v) {
  auto t = v.getType().dyn_cast<RankedTensorType>();
  return t && t.getElementType().isF32();
}

Value zerosLike(OpBuilder &b, Location loc, Value v) {
  return b.create<ConstantOp>(
      loc, DenseElementsAttr::get(v.getType().cast<ShapedType>(), 0.0f));
}

void Adjoints::accumulate(Value v, Value g) {
  auto [it, inserted] = of.try_emplace(v, g);
  if (!inserted)
    it->second = b.create<AddOp>(g.getLoc(), it->second, g);
}

Value Adjoints::orZeros(Value v, Location loc) {
  Value g = of.lookup(v);
  return g ? g : zerosLike(b, loc, v);
}

LogicalResult Adjoints::visit(Operation *op) {
  SmallVector<Value> resultGrads;
  bool any = false;
  for (Value r : op->getResults()) {
    resultGrads.push_back(of.lookup(r));
    any |= (bool)resultGrads.back();
  }
  if (!any || op->hasTrait<OpTrait::NonDifferentiable>())
    return success();
  auto iface = dyn_cast<DifferentiableOpInterface>(op);
  if (!iface)
    return op->emitError("cannot differentiate '")
           << op->getName() << "': it has no gradient";
  // The op's result adjoints are complete: all its users come later in
  // program order and have been visited.
  for (auto [r, g] : llvm::zip(op->getResults(), resultGrads))
    if (!g)
      g = zerosLike(b, op->getLoc(), r);
  SmallVector<Value> operandGrads;
  if (failed(iface.buildGradients(b, resultGrads, operandGrads)) ||
      operandGrads.size() != op->getNumOperands())
    return op->emitError("gradient construction failed");
  for (auto [operand, g] : llvm::zip(op->getOperands(), operandGrads))
    if (g && isFloatTensor(operand))
      accumulate(operand, g);
  return success();
}

} // namespace hebb
