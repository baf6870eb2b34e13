//===- Passes.h - hebb-level transformations --------------------*- C++ -*-===//
//
/// \file
/// Passes on the hebb dialect itself: differentiation and the optimiser
/// step that together make a training step one compiled program.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_PASSES_PASSES_H
#define HEBB_PASSES_PASSES_H

#include "ir/HebbDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace hebb {

std::unique_ptr<mlir::Pass> createAutodiffPass();

/// Builds `gradName` from `fn` (see the hebb-autodiff pass). Returns the new
/// function or failure with a diagnostic on the offending op.
mlir::FailureOr<mlir::func::FuncOp> differentiate(mlir::func::FuncOp fn,
                                                  llvm::StringRef gradName);

std::unique_ptr<mlir::Pass> createOptimizerStepPass();

/// The hebb-expand-dropout rewrite of `fn`; true when it had sites (and so
/// a seed argument now).
bool expandDropout(mlir::func::FuncOp fn);
/// The hebb-batchnorm-train rewrite of `fn`.
mlir::LogicalResult trainBatchNorms(mlir::func::FuncOp fn);

/// The training pipeline on a module with @loss: training-mode rewrites
/// (dropout, batch statistics), hebb-pool-first, hebb-autodiff and
/// hebb-optimizer, giving
/// @train_step. `hebb train`, `hebb compile` and hebb-opt's
/// -hebb-training all build it here.
void buildTrainingPipeline(mlir::OpPassManager &pm);
/// Registers -hebb-training with the pass registry (for hebb-opt).
void registerTrainingPipeline();

/// Builds @train_step from @loss and its gradient @grad (see the
/// hebb-optimizer pass); `fallbackKind` is the optimizer when @loss names
/// none.
mlir::FailureOr<mlir::func::FuncOp>
buildTrainStep(mlir::func::FuncOp loss, mlir::func::FuncOp grad,
               llvm::StringRef fallbackKind = "sgd");

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace hebb

#endif // HEBB_PASSES_PASSES_H
