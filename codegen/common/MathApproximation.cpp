//===- MathApproximation.cpp - vectorisable exp/log/tanh ------------------===//
//
// MLIR's polynomial approximations of f32 transcendental functions, wrapped
// as a pass. The result is pure arith, so it vectorises on CPU and lowers
// unchanged to NVVM.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBMATHAPPROXIMATION
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {
struct MathApproximation
    : public hebb::impl::HebbMathApproximationBase<MathApproximation> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> hebb::createMathApproximationPass() {
  return std::make_unique<MathApproximation>();
}
