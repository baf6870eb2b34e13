//===- ForwardResults.cpp - compute results in their out-parameters -------===//
//
// buffer-results-to-out-params makes each result an out-parameter filled by
// a final memref.copy from the buffer that computed it. When that buffer is
// a plain allocation of the same type and the out-parameter has no other
// use, the computation can write the out-parameter directly: the copy, the
// allocation and its deallocation go away (for a training step: one copy of
// every parameter and optimizer state less per step).
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBFORWARDRESULTS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {
struct ForwardResults
    : public hebb::impl::HebbForwardResultsBase<ForwardResults> {
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal() || !fn.getBody().hasOneBlock())
      return;
    Block &block = fn.getBody().front();
    SmallVector<memref::CopyOp> copies;
    for (auto copy : block.getOps<memref::CopyOp>())
      copies.push_back(copy);
    for (memref::CopyOp copy : copies) {
      auto target = copy.getTarget().dyn_cast<BlockArgument>();
      auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
      if (!target || target.getOwner() != &block || !target.hasOneUse() ||
          !alloc || alloc->getBlock() != &block ||
          alloc.getType() != target.getType())
        continue;
      // After the copy the buffer may only be deallocated.
      bool usedLater = false;
      for (Operation *user : alloc->getUsers())
        if (user != copy && !isa<memref::DeallocOp>(user) &&
            copy->isBeforeInBlock(block.findAncestorOpInBlock(*user)))
          usedLater = true;
      if (usedLater)
        continue;
      copy.erase();
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(Value(target));
      alloc.erase();
    }
  }
};
} // namespace

std::unique_ptr<Pass> hebb::createForwardResultsPass() {
  return std::make_unique<ForwardResults>();
}
