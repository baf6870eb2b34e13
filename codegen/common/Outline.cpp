//===- Outline.cpp - a loop nest moved into a function of its own ---------===//

#include "codegen/common/Outline.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

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

/// The values `op` needs, or false when one cannot be passed.
bool usedValues(Operation *op, llvm::SetVector<Value> &args,
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

} // namespace

std::optional<hebb::Outlined> hebb::outlineToFunction(func::FuncOp parent,
                                                      Operation *op,
                                                      StringRef name,
                                                      ValueRange trailing) {
  llvm::SetVector<Value> used;
  SmallVector<Value> constants;
  if (!usedValues(op, used, constants))
    return std::nullopt;
  SmallVector<Value> args(used.begin(), used.end());
  args.append(trailing.begin(), trailing.end());
  MLIRContext *ctx = parent.getContext();
  OpBuilder b(parent);
  b.setInsertionPointAfter(parent);
  SmallVector<Type> types;
  for (Value v : args)
    types.push_back(v.getType());
  auto callee = b.create<func::FuncOp>(op->getLoc(), name,
                                       FunctionType::get(ctx, types, {}));
  callee->setAttr("llvm.linkage",
                  LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
  callee->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
  Block *entry = callee.addEntryBlock();
  IRMapping map;
  for (auto [v, arg] : llvm::zip(used, entry->getArguments()))
    map.map(v, arg);
  b.setInsertionPointToStart(entry);
  for (Value c : constants)
    map.map(c, b.clone(*c.getDefiningOp())->getResult(0));
  Operation *body = b.clone(*op, map);
  b.create<func::ReturnOp>(op->getLoc());
  b.setInsertionPoint(op);
  b.create<func::CallOp>(op->getLoc(), callee, args);
  op->erase();
  return Outlined{callee, body};
}
