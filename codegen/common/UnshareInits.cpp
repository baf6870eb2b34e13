//===- UnshareInits.cpp - one init per destination-style user
//--------------===//
//
// CSE merges identical `tensor.empty`s (every [batch, units] result of a
// deep stack has the same type) and identical `linalg.fill`s (every matmul
// starts from zeros). One-shot bufferization then sees one value written by
// hundreds of ops: it copies a shared filled tensor before each destructive
// update, and its conflict analysis, which pairs every read with every write
// of an alias set, grows with the cube of the number of users (12.9 s of
// 17 s at 400 layers). Giving each user its own init (a clone placed right
// before it, the original erased) keeps every alias set small, lets each
// init bufferize in place right where it is needed - short live ranges for
// hebb-plan-memory - and lets hebb-gemm-to-runtime fold a zero fill into
// the GEMM call.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBUNSHAREINITS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

/// Gives every destination-style use of `op`'s result but the first its own
/// clone of `op` (and, for a fill, of the tensor.empty it fills); erases
/// what is left unused.
void unshare(Operation *op) {
  Value result = op->getResult(0);
  SmallVector<OpOperand *> uses;
  for (OpOperand &use : result.getUses()) {
    auto dps = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
    if (dps && dps.isDpsInit(&use))
      uses.push_back(&use);
  }
  for (OpOperand *use : uses) {
    OpBuilder b(use->getOwner());
    IRMapping map;
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      Value init = fill.getDpsInitOperand(0)->get();
      if (Operation *empty = init.getDefiningOp<tensor::EmptyOp>())
        map.map(init, b.clone(*empty)->getResult(0));
    }
    use->set(b.clone(*op, map)->getResult(0));
  }
  if (!result.use_empty())
    return;
  Operation *empty = nullptr;
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    empty = fill.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>();
  op->erase();
  if (empty && empty->use_empty())
    empty->erase();
}

struct UnshareInits : public hebb::impl::HebbUnshareInitsBase<UnshareInits> {
  void runOnOperation() override {
    // Fills first: their clones bring their own tensor.empty.
    SmallVector<Operation *> shared;
    getOperation().walk([&](linalg::FillOp op) {
      if (op.hasTensorSemantics() && !op->getResult(0).hasOneUse())
        shared.push_back(op);
    });
    for (Operation *op : shared)
      unshare(op);
    shared.clear();
    getOperation().walk([&](tensor::EmptyOp op) {
      if (!op->getResult(0).hasOneUse())
        shared.push_back(op);
    });
    for (Operation *op : shared)
      unshare(op);
  }
};
} // namespace

std::unique_ptr<Pass> hebb::createUnshareInitsPass() {
  return std::make_unique<UnshareInits>();
}
