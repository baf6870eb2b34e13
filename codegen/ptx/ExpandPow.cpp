//===- ExpandPow.cpp - math.powf without libm -----------------------------===//
//
/// pow(x, y) = exp(y log|x|), then C's special cases: a negative base to
/// an odd integer power is negative, to a non-integer power NaN; x^0 = 1
/// (NaN too); 0^y is 0 for y > 0 and +inf for y < 0 (what exp(y * -inf)
/// gives already).
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace hebb {
#define GEN_PASS_DEF_HEBBEXPANDPOW
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

struct ExpandPowF : public OpRewritePattern<math::PowFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::PowFOp op,
                                PatternRewriter &rw) const override {
    Type t = op.getType();
    if (!t.isF32() && !t.isF64())
      return failure();
    Location loc = op.getLoc();
    Value x = op.getLhs(), y = op.getRhs();
    auto c = [&](double v) -> Value {
      return rw.create<arith::ConstantOp>(loc, rw.getFloatAttr(t, v));
    };
    auto cmp = [&](arith::CmpFPredicate p, Value a, Value b) -> Value {
      return rw.create<arith::CmpFOp>(loc, p, a, b);
    };
    Value magnitude = rw.create<math::ExpOp>(
        loc, rw.create<arith::MulFOp>(
                 loc, y,
                 rw.create<math::LogOp>(loc, rw.create<math::AbsFOp>(loc, x))));
    Value integral =
        cmp(arith::CmpFPredicate::OEQ, rw.create<math::FloorOp>(loc, y), y);
    Value half = rw.create<arith::MulFOp>(loc, y, c(0.5));
    Value odd = rw.create<arith::AndIOp>(
        loc, integral,
        cmp(arith::CmpFPredicate::ONE, rw.create<math::FloorOp>(loc, half),
            half));
    Value negative = cmp(arith::CmpFPredicate::OLT, x, c(0));
    Value signedResult = rw.create<arith::SelectOp>(
        loc, odd, rw.create<arith::NegFOp>(loc, magnitude), magnitude);
    Value nan = c(std::numeric_limits<double>::quiet_NaN());
    Value ofNegative =
        rw.create<arith::SelectOp>(loc, integral, signedResult, nan);
    Value result =
        rw.create<arith::SelectOp>(loc, negative, ofNegative, magnitude);
    Value zeroPower = cmp(arith::CmpFPredicate::OEQ, y, c(0));
    rw.replaceOpWithNewOp<arith::SelectOp>(op, zeroPower, c(1), result);
    return success();
  }
};

struct ExpandPow : public hebb::impl::HebbExpandPowBase<ExpandPow> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandPowF>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createExpandPowPass() {
  return std::make_unique<ExpandPow>();
}
