//===- OutlineKernels.cpp - loop nests of large functions as kernels ------===//
//
/// The algorithm, for each function with at least min-ops linalg ops:
///   1. Take each linalg op of the body (after bufferization: buffers in,
///      no results) whose captured buffers all have static shapes and
///      identity layouts (the bare-pointer calling convention).
///   2. Its arguments: the op's operands and the values its regions use
///      from above, in first-use order, except constants (cloned inside).
///   3. Create `<fn>__kernel<i>`, internal linkage and noinline, whose body
///      is the op with its arguments remapped; replace the op by a call.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/Outline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace hebb {
#define GEN_PASS_DECL_HEBBOUTLINEKERNELS
#define GEN_PASS_DEF_HEBBOUTLINEKERNELS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

struct OutlineKernels
    : public hebb::impl::HebbOutlineKernelsBase<OutlineKernels> {
  using HebbOutlineKernelsBase::HebbOutlineKernelsBase;
  void runOnOperation() override {
    SmallVector<func::FuncOp> functions(getOperation().getOps<func::FuncOp>());
    for (func::FuncOp fn : functions) {
      if (fn.isExternal() || fn.getBody().getBlocks().size() != 1)
        continue;
      SmallVector<Operation *> ops;
      for (Operation &op : fn.getBody().front())
        if (isa<linalg::LinalgOp>(op) && op.getNumResults() == 0)
          ops.push_back(&op);
      if (ops.size() < minOps)
        continue;
      for (auto [i, op] : llvm::enumerate(ops))
        (void)hebb::outlineToFunction(
            fn, op, (fn.getSymName() + "__kernel" + Twine(i)).str());
    }
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createOutlineKernelsPass() {
  return std::make_unique<OutlineKernels>();
}
