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
    every f32 argument (zeros for arguments the loss does not use), then
    the function's other results unchanged (auxiliary outputs such as
    updated batch-norm statistics).

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

def ExpandDropout : Pass<"hebb-expand-dropout", "mlir::ModuleOp"> {
  let summary = "Make the dropout sites of a loss function random";
  let description = [{
    Rewrites every `hebb.dropout` of `function` into inverted dropout:
    `select(random_uniform(seed, k + 1) >= rate, x / (1 - rate), 0)` for
    site k in program order, drawing from a new argument `seed`
    (tensor<2xi32>, marked `hebb.seed`) inserted before the first argument
    marked `hebb.param` or `hebb.buffer`. Without sites nothing changes.
  }];
  let options = [
    Option<"function", "function", "std::string", "\"loss\"",
           "the function to rewrite">
  ];
  let dependentDialects = ["hebb::HebbDialect", "mlir::func::FuncDialect"];
}

def BatchNormTrain : Pass<"hebb-batchnorm-train", "mlir::ModuleOp"> {
  let summary = "Batch statistics and running-statistic updates in a loss";
  let description = [{
    Rewrites every `hebb.batch_norm` of `function` to normalise with the
    batch's mean and biased variance (over every axis but the channel
    axis 1), and appends to the function's results the updated running
    statistics, `(1 - momentum) old + momentum batch` (the variance
    unbiased, as PyTorch), one per argument marked `hebb.buffer`, in
    argument order. Each such argument must be the mean or variance of
    exactly one site.
  }];
  let options = [
    Option<"function", "function", "std::string", "\"loss\"",
           "the function to rewrite">
  ];
  let dependentDialects = ["hebb::HebbDialect", "mlir::func::FuncDialect"];
}

def PoolFirst : Pass<"hebb-pool-first", "mlir::ModuleOp"> {
  let summary = "Max pooling before the relu that feeds it";
  let description = [{
    Rewrites `max_pool2d(relu(x))`, the relu used only there, into
    `relu(max_pool2d(x))`: the same values and, bit for bit, the same
    gradient (relu is monotone and exact, and its gradient is zero wherever
    the first maxima could differ); forward and backward then run relu on
    the pooled tensor. A bias add before the relu stays: rounding of the
    sum can tie values of a window and move the first maximum. The
    training pipeline runs it before hebb-autodiff.
  }];
  let dependentDialects = ["hebb::HebbDialect"];
}

def OptimizerStep : Pass<"hebb-optimizer", "mlir::ModuleOp"> {
  let summary = "Build @train_step: gradient, clipping, decay and update";
  let description = [{
    From @loss (whose `hebb.optimizer` dictionary names the optimiser and
    its settings, and whose parameter arguments carry `hebb.param` names)
    and @grad (built by hebb-autodiff, or here if absent), emits
    @train_step(args..., state..., lr, step) -> (loss, new parameters...,
    new state..., auxiliary results of @loss...): one program for a whole
    training step. Optimizers, their state slots and their defaults are
    the table in ir/Optimizers.def, PyTorch's: sgd (momentum, dampening),
    momentum, nesterov, rmsprop, adam, adagrad, adadelta; before the update
    come gradient clipping by value and by global norm, L2 weight decay and
    an L1 penalty. A setting the dictionary leaves out takes PyTorch's
    default (Adam: beta1 0.9, beta2 0.999, eps 1e-8); a @loss without the
    dictionary uses the `optimizer` option with all defaults.

    `@train_step` records its state in `hebb.state` ("<param>.<slot>") and
    the parameter of each slot in `hebb.state_params`.
  }];
  let options = [
    Option<"optimizer", "optimizer", "std::string", "\"sgd\"",
           "the optimizer when @loss has no hebb.optimizer dictionary">
  ];
  let constructor = "hebb::createOptimizerStepPass()";
  let dependentDialects = ["hebb::HebbDialect", "mlir::func::FuncDialect"];
}

#endif // HEBB_PASSES_TD
