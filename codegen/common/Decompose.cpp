//===- Decompose.cpp - composite hebb ops into primitive ones -------------===//
//
// batch_norm, conv2d, max_pool2d and avg_pool2d declare how they are made
// of primitive hebb ops (their `decompose` methods, in ir/); this replaces
// each by its decomposition, before CSE and the lowering to linalg.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/Lowerings.h"
#include "ir/HebbDialect.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBDECOMPOSE
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;
using namespace hebb;

void hebb::decomposeCompositeOps(Operation *root) {
  root->walk([](Operation *op) {
    OpBuilder b(op);
    Value v;
    if (auto bn = dyn_cast<BatchNormOp>(op))
      v = bn.decompose(b, bn.getMean(), bn.getVariance());
    else if (auto conv = dyn_cast<Conv2dOp>(op))
      v = conv.decompose(b);
    else if (auto pool = dyn_cast<MaxPool2dOp>(op))
      v = pool.decompose(b);
    else if (auto pool = dyn_cast<AvgPool2dOp>(op))
      v = pool.decompose(b);
    else
      return;
    op->getResult(0).replaceAllUsesWith(v);
    op->erase();
  });
}

namespace {
struct Decompose : public hebb::impl::HebbDecomposeBase<Decompose> {
  void runOnOperation() override { decomposeCompositeOps(getOperation()); }
};
} // namespace

std::unique_ptr<Pass> hebb::createDecomposePass() {
  return std::make_unique<Decompose>();
}
