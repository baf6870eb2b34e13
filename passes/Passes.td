//===- Passes.td - hebb-level transformations --------------*- tablegen -*-===//

#ifndef HEBB_PASSES_TD
#define HEBB_PASSES_TD

include "mlir/Pass/PassBase.td"

def Autodiff : Pass<"hebb-autodiff", "mlir::ModuleOp"> {
  let summary = "Reverse-mode differentiation of a scalar loss function";
  let description = [{
    For the function named by `function` (default `loss`), whose first
    result is a scalar f32 loss, emits `@grad` with the same arguments
    returning the loss followed by the gradient of the loss with respect to
    every f32 argument (zeros for arguments the loss does not use).

    The gradient is built from each op's DifferentiableOpInterface, walking
    the body in reverse and adding the adjoints of values used more than
    once. The result is ordinary hebb IR: canonicalisation and CSE clean it.
  }];
  let options = [
    Option<"function", "function", "std::string", "\"loss\"",
           "the function to differentiate">,
    Option<"gradName", "grad-name", "std::string", "\"grad\"",
           "the name of the gradient function">
  ];
  let constructor = "hebb::createAutodiffPass()";
  let dependentDialects = ["hebb::HebbDialect", "mlir::func::FuncDialect"];
}

#endif // HEBB_PASSES_TD
