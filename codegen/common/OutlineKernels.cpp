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

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace hebb {
#define GEN_PASS_DECL_HEBBOUTLINEKERNELS
#define GEN_PASS_DEF_HEBBOUTLINEKERNELS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

bool passable(Value v) {
  if (auto m = v.getType().dyn_cast<MemRefType>())
    return m.hasStaticShape() && m.getLayout().isIdentity() &&
           !m.getMemorySpace();
  return v.getType().isIntOrIndexOrFloat();
}

bool isConstant(Value v) {
  Operation *def = v.getDefiningOp();
  return def && def->hasTrait<OpTrait::ConstantLike>();
}

/// Step 2: the values `op` needs, or false when one cannot be passed.
bool kernelArguments(Operation *op, llvm::SetVector<Value> &args,
                     SmallVectorImpl<Value> &constants) {
  llvm::SetVector<Value> used(op->operand_begin(), op->operand_end());
  getUsedValuesDefinedAbove(op->getRegions(), used);
  for (Value v : used) {
    if (isConstant(v)) {
      constants.push_back(v);
      continue;
    }
    if (!passable(v))
      return false;
    args.insert(v);
  }
  return true;
}

/// Step 3 for one op.
void outline(func::FuncOp fn, Operation *op, unsigned index) {
  llvm::SetVector<Value> args;
  SmallVector<Value> constants;
  if (!kernelArguments(op, args, constants))
    return;
  MLIRContext *ctx = fn.getContext();
  OpBuilder b(fn);
  b.setInsertionPointAfter(fn);
  SmallVector<Type> types;
  for (Value v : args)
    types.push_back(v.getType());
  auto kernel = b.create<func::FuncOp>(
      op->getLoc(), (fn.getSymName() + "__kernel" + Twine(index)).str(),
      FunctionType::get(ctx, types, {}));
  kernel->setAttr("llvm.linkage",
                  LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
  kernel->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  Block *body = kernel.addEntryBlock();
  IRMapping map;
  for (auto [v, arg] : llvm::zip(args, body->getArguments()))
    map.map(v, arg);
  b.setInsertionPointToStart(body);
  for (Value c : constants)
    map.map(c, b.clone(*c.getDefiningOp())->getResult(0));
  b.clone(*op, map);
  b.create<func::ReturnOp>(op->getLoc());
  b.setInsertionPoint(op);
  b.create<func::CallOp>(op->getLoc(), kernel, args.getArrayRef());
  op->erase();
}

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
        outline(fn, op, i);
    }
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createOutlineKernelsPass() {
  return std::make_unique<OutlineKernels>();
}
