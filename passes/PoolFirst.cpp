//===- PoolFirst.cpp - max pooling before the relu that feeds it ----------===//
//
/// max_pool2d(relu(x)) = relu(max_pool2d(x)): relu is monotone and exact, so
/// it commutes with the maximum of a window (the -inf padding stays -inf
/// before relu and loses to relu's zeros after it, as it does to any value).
/// The gradient is the same, bit for bit: where the window's maximum is
/// positive, relu keeps every value that could be it and so the first
/// maximum; elsewhere relu's gradient is zero either way. Forward and
/// backward then run relu on the pooled tensor (a quarter of the size for
/// 2x2 windows): in LeNet's training step the relu gradients of both
/// convolutions.
///
/// A bias add between relu and the convolution stays where it is: adding
/// a per-channel constant is monotone too, but rounding can make two
/// different values of a window equal, which moves the first maximum and
/// so the gradient away from what PyTorch computes.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hebb {
#define GEN_PASS_DEF_POOLFIRST
#include "passes/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace hebb {
namespace {

struct PoolBeforeRelu : public OpRewritePattern<MaxPool2dOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MaxPool2dOp pool,
                                PatternRewriter &rewriter) const override {
    auto relu = pool.getOperand().getDefiningOp<ReluOp>();
    // A relu used elsewhere would then be computed twice.
    if (!relu || !relu->hasOneUse())
      return failure();
    Location loc = pool.getLoc();
    Value pooled = rewriter.create<MaxPool2dOp>(
        loc, pool.getType(), relu.getOperand(), pool.getKernelAttr(),
        pool.getStridesAttr(), pool.getPaddingAttr());
    rewriter.replaceOpWithNewOp<ReluOp>(pool, pool.getType(), pooled);
    return success();
  }
};

struct PoolFirstPass : impl::PoolFirstBase<PoolFirstPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PoolBeforeRelu>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace hebb
