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
/// The adjoint bookkeeping is ir/Adjoints.h, which hebb.scan's gradient
/// uses for its body too.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "ir/Adjoints.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace hebb {
#define GEN_PASS_DEF_AUTODIFF
#include "passes/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace hebb {

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
