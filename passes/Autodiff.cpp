//===- Autodiff.cpp - reverse-mode differentiation as an IR transform -----===//
//
// Symbolic differentiation of a whole function: the gradient program is
// ordinary hebb IR placed after the forward computation.
//
/// The algorithm:
///   1. Clone the loss function under the gradient's name.
///   2. Seed the adjoint of the loss (the first result) with 1.
///   3. Walk the original ops in reverse. For each op with an adjoint on a
///      result, ask its DifferentiableOpInterface for the operand adjoints
///      and add them to what the operands already have (fan-out).
///   4. Return the loss, the adjoint of every f32 argument (zeros when
///      the loss does not depend on it), then the function's other results.
/// Values that are not f32 (indices, masks) carry no adjoint. Ops marked
/// NonDifferentiable stop the walk; any other op without the interface is
/// an error naming it.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"

namespace hebb {
#define GEN_PASS_DEF_AUTODIFF
#include "passes/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace hebb {

static bool isFloatTensor(Value v) {
  auto t = v.getType().dyn_cast<RankedTensorType>();
  return t && t.getElementType().isF32();
}

namespace {
Value zerosLike(OpBuilder &b, Location loc, Value v) {
  return b.create<ConstantOp>(
      loc, DenseElementsAttr::get(v.getType().cast<ShapedType>(), 0.0f));
}

/// Adjoints of the values of one function body, accumulated over fan-out.
struct Adjoints {
  OpBuilder &b;
  llvm::DenseMap<Value, Value> of;
  void accumulate(Value v, Value g) {
    auto [it, inserted] = of.try_emplace(v, g);
    if (!inserted)
      it->second = b.create<AddOp>(g.getLoc(), it->second, g);
  }
  /// Step 3 for one op: adds its operands' adjoints.
  LogicalResult visit(Operation *op) {
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
};
} // namespace

FailureOr<func::FuncOp> differentiate(func::FuncOp fn, StringRef gradName) {
  auto ret = dyn_cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  auto lossType = fn.getNumResults()
                      ? fn.getResultTypes()[0].dyn_cast<RankedTensorType>()
                      : RankedTensorType();
  if (!ret || !lossType || lossType.getRank() != 0 ||
      !lossType.getElementType().isF32())
    return fn.emitError("the first result must be a scalar tensor<f32> loss");

  OpBuilder module(fn);
  module.setInsertionPointAfter(fn);
  auto grad = cast<func::FuncOp>(module.clone(*fn));
  grad.setSymName(gradName);
  Block &body = grad.getBody().front();
  auto gradRet = cast<func::ReturnOp>(body.getTerminator());
  Value loss = gradRet.getOperand(0);
  SmallVector<Operation *> forward;
  for (Operation &op : body.without_terminator())
    forward.push_back(&op);

  OpBuilder b(gradRet);
  Adjoints adjoints{b, llvm::DenseMap<Value, Value>()};
  adjoints.of[loss] = b.create<ConstantOp>(
      grad.getLoc(), DenseElementsAttr::get(lossType, 1.0f));
  for (Operation *op : llvm::reverse(forward))
    if (failed(adjoints.visit(op))) {
      grad.erase();
      return failure();
    }

  SmallVector<Value> results = {loss};
  for (BlockArgument arg : body.getArguments())
    if (isFloatTensor(arg)) {
      Value g = adjoints.of.lookup(arg);
      results.push_back(g ? g : zerosLike(b, grad.getLoc(), arg));
    }
  // Results after the loss (e.g. updated batch-norm statistics) pass through.
  results.append(gradRet.operand_begin() + 1, gradRet.operand_end());
  b.create<func::ReturnOp>(gradRet.getLoc(), results);
  gradRet.erase();
  grad.setFunctionType(FunctionType::get(fn.getContext(),
                                         body.getArgumentTypes(),
                                         ValueRange(results).getTypes()));
  return grad;
}

namespace {
struct AutodiffPass : public impl::AutodiffBase<AutodiffPass> {
  using AutodiffBase::AutodiffBase;
  void runOnOperation() override {
    auto fn = getOperation().lookupSymbol<func::FuncOp>(function);
    if (!fn) {
      getOperation().emitError("no function @")
          << function << " to differentiate";
      return signalPassFailure();
    }
    if (failed(differentiate(fn, gradName)))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> createAutodiffPass() {
  return std::make_unique<AutodiffPass>();
}

} // namespace hebb
