//===- FuseElementwise.cpp - producer/consumer fusion without recompute ---===//
//
// Upstream linalg elementwise fusion folds an all-parallel producer into any
// consumer generic, including one that reads each produced element many
// times: fusing relu into the matmul that follows recomputes it K times per
// output and hides the matmul from hebb-gemm-to-runtime. Here a producer is
// fused only when the consumer reads every produced element exactly once
// (its indexing map for the operand is a permutation) and nothing else uses
// it, so fusion only ever removes memory traffic.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBFUSEELEMENTWISE
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

bool fusesWithoutRecompute(OpOperand *use) {
  Operation *producer = use->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  auto consumer = dyn_cast<linalg::GenericOp>(use->getOwner());
  return consumer && consumer.getMatchingIndexingMap(use).isPermutation();
}

struct FuseElementwise
    : public hebb::impl::HebbFuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 fusesWithoutRecompute);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createFuseElementwisePass() {
  return std::make_unique<FuseElementwise>();
}
