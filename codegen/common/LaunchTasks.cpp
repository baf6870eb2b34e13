//===- LaunchTasks.cpp - calls of split loop nests through the runtime ----===//
//
/// The algorithm, on the LLVM dialect, for each function `T` carrying
/// `hebb.parallel = [extent, grain, work]` (hebb-parallel-loops made it,
/// with arguments (a_0 ... a_k-1, lo, hi)):
///   1. Create `T__entry(i8* args, i64 lo, i64 hi)`, which loads a_j from
///      the j-th 8-byte slot of args and calls T(a_0 ... a_k-1, lo, hi).
///   2. Replace each call of T by k slots on the stack holding its
///      arguments and hebb_parallel_for(&T__entry, slots, extent, grain,
///      work).
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace hebb {
#define GEN_PASS_DECL_HEBBLAUNCHTASKS
#define GEN_PASS_DEF_HEBBLAUNCHTASKS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

Type i8Ptr(MLIRContext *ctx) {
  return LLVM::LLVMPointerType::get(IntegerType::get(ctx, 8));
}

/// The address of slot `j` of `slots` (an i64 array), as a pointer to `type`.
Value slot(OpBuilder &b, Location loc, Value slots, unsigned j, Type type) {
  Type i64 = b.getI64Type();
  Value at = b.create<LLVM::GEPOp>(loc, LLVM::LLVMPointerType::get(i64), slots,
                                   ArrayRef<LLVM::GEPArg>{int32_t(j)});
  return b.create<LLVM::BitcastOp>(loc, LLVM::LLVMPointerType::get(type), at);
}

/// Step 1.
LLVM::LLVMFuncOp createEntry(LLVM::LLVMFuncOp task) {
  MLIRContext *ctx = task.getContext();
  Location loc = task.getLoc();
  OpBuilder b(task);
  b.setInsertionPointAfter(task);
  Type i64 = b.getI64Type();
  auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx),
                                          {i8Ptr(ctx), i64, i64});
  auto entry = b.create<LLVM::LLVMFuncOp>(
      loc, (task.getName() + "__entry").str(), type, LLVM::Linkage::Internal);
  b.setInsertionPointToStart(entry.addEntryBlock());
  Value slots = b.create<LLVM::BitcastOp>(loc, LLVM::LLVMPointerType::get(i64),
                                          entry.getArgument(0));
  ArrayRef<Type> params = task.getFunctionType().getParams();
  SmallVector<Value> args;
  for (unsigned j = 0; j + 2 < params.size(); ++j)
    args.push_back(
        b.create<LLVM::LoadOp>(loc, slot(b, loc, slots, j, params[j])));
  args.push_back(entry.getArgument(1));
  args.push_back(entry.getArgument(2));
  b.create<LLVM::CallOp>(loc, task, args);
  b.create<LLVM::ReturnOp>(loc, ValueRange{});
  return entry;
}

/// hebb_parallel_for's declaration, made once.
LLVM::LLVMFuncOp runtimeFunction(ModuleOp module, Type entryType) {
  if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(hebb::kParallelForSymbol))
    return fn;
  MLIRContext *ctx = module.getContext();
  Type i64 = IntegerType::get(ctx, 64);
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  return b.create<LLVM::LLVMFuncOp>(
      module.getLoc(), hebb::kParallelForSymbol,
      LLVM::LLVMFunctionType::get(
          LLVM::LLVMVoidType::get(ctx),
          {LLVM::LLVMPointerType::get(entryType), i8Ptr(ctx), i64, i64, i64}));
}

/// Step 2 for one call.
void launch(LLVM::CallOp call, LLVM::LLVMFuncOp entry, LLVM::LLVMFuncOp runtime,
            ArrayRef<int64_t> parallel) {
  OpBuilder b(call);
  Location loc = call.getLoc();
  Type i64 = b.getI64Type();
  auto constant = [&](int64_t v) {
    return b.create<LLVM::ConstantOp>(loc, i64, v).getResult();
  };
  unsigned k = call.getNumOperands() - 2;
  // In the entry block, so that a call in a loop reuses its slots.
  OpBuilder entryBuilder = OpBuilder::atBlockBegin(
      &call->getParentOfType<LLVM::LLVMFuncOp>().getBody().front());
  Value count =
      entryBuilder.create<LLVM::ConstantOp>(loc, i64, std::max(k, 1u));
  Value slots = entryBuilder.create<LLVM::AllocaOp>(
      loc, LLVM::LLVMPointerType::get(i64), count, 8);
  for (unsigned j = 0; j < k; ++j) {
    Value arg = call.getOperand(j);
    b.create<LLVM::StoreOp>(loc, arg, slot(b, loc, slots, j, arg.getType()));
  }
  Value fn = b.create<LLVM::AddressOfOp>(loc, entry);
  Value args = b.create<LLVM::BitcastOp>(loc, i8Ptr(b.getContext()), slots);
  b.create<LLVM::CallOp>(loc, runtime,
                         ValueRange{fn, args, constant(parallel[0]),
                                    constant(parallel[1]),
                                    constant(parallel[2])});
  call.erase();
}

struct LaunchTasks : public hebb::impl::HebbLaunchTasksBase<LaunchTasks> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::LLVMFuncOp> tasks;
    for (auto fn : module.getOps<LLVM::LLVMFuncOp>())
      if (fn->hasAttr(hebb::kParallelAttr))
        tasks.push_back(fn);
    for (LLVM::LLVMFuncOp task : tasks) {
      auto parallel =
          task->getAttrOfType<DenseI64ArrayAttr>(hebb::kParallelAttr);
      ArrayRef<Type> params = task.getFunctionType().getParams();
      if (!parallel || parallel.size() != 3 || params.size() < 2 ||
          !task.getFunctionType().getReturnType().isa<LLVM::LLVMVoidType>()) {
        task.emitError("malformed ") << hebb::kParallelAttr << " task";
        return signalPassFailure();
      }
      SmallVector<LLVM::CallOp> calls;
      module.walk([&](LLVM::CallOp call) {
        if (call.getCallee() == task.getName())
          calls.push_back(call);
      });
      LLVM::LLVMFuncOp entry = createEntry(task);
      LLVM::LLVMFuncOp runtime =
          runtimeFunction(module, entry.getFunctionType());
      // The task stays out of line: inlined into its entry, whose
      // arguments come from memory, it compiles a fifth slower.
      task->removeAttr(hebb::kParallelAttr);
      for (LLVM::CallOp call : calls)
        launch(call, entry, runtime, parallel.asArrayRef());
    }
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createLaunchTasksPass() {
  return std::make_unique<LaunchTasks>();
}
