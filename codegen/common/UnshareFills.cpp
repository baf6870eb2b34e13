//===- UnshareFills.cpp - one filled init per destination-style user ------===//
//
// CSE merges identical `linalg.fill`s (every matmul starts from zeros), and
// one-shot bufferization then copies the shared filled tensor before each
// destructive update. Giving each user its own fill (a clone placed right
// before it, the original erased) lets every init bufferize in place as a
// fill right where it is needed - short live ranges for hebb-plan-memory -
// which hebb-gemm-to-runtime then folds into the GEMM call.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBUNSHAREFILLS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {
struct UnshareFills : public hebb::impl::HebbUnshareFillsBase<UnshareFills> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp op) {
      if (op.hasTensorSemantics() && !op->getResult(0).hasOneUse())
        fills.push_back(op);
    });
    for (linalg::FillOp fill : fills) {
      Value result = fill->getResult(0);
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : result.getUses())
        uses.push_back(&use);
      for (OpOperand *use : uses) {
        auto dps = dyn_cast<DestinationStyleOpInterface>(use->getOwner());
        if (!dps || !dps.isDpsInit(use))
          continue;
        OpBuilder b(use->getOwner());
        IRMapping map;
        Value init = fill.getDpsInitOperand(0)->get();
        if (Operation *empty = init.getDefiningOp<tensor::EmptyOp>())
          map.map(init, b.clone(*empty)->getResult(0));
        use->set(b.clone(*fill, map)->getResult(0));
      }
      if (result.use_empty()) {
        Operation *empty = fill.getDpsInitOperand(0)->get().getDefiningOp();
        fill.erase();
        if (empty && empty->use_empty())
          empty->erase();
      }
    }
  }
};
} // namespace

std::unique_ptr<Pass> hebb::createUnshareFillsPass() {
  return std::make_unique<UnshareFills>();
}
