//===- Target.cpp - host code generation with LLVM ------------------------===//

#include "codegen/cpu/Target.h"
#include "codegen/common/LLVMOptimize.h"

#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Host.h"
#include "llvm/Support/TargetSelect.h"

#include <mutex>

namespace hebb::cpu {

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options) {
  initializeNativeTarget();
  std::string triple = llvm::sys::getProcessTriple();
  std::string message;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, message);
  if (!target)
    return error("no LLVM target for " + triple + ": " + message);
  std::string cpu = options.cpu, features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> host;
    if (llvm::sys::getHostCPUFeatures(host))
      for (auto &f : host)
        features += (features.empty() ? "" : ",") +
                    std::string(f.second ? "+" : "-") + f.first().str();
  } else {
    std::unique_ptr<llvm::MCSubtargetInfo> probe(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!probe || !probe->isCPUStringValid(cpu))
      return error("unknown CPU '" + cpu +
                   "' (expected native, x86-64-v3, x86-64-v4 or an LLVM CPU "
                   "name)");
  }
  llvm::TargetOptions to;
  auto level = options.optLevel >= 3   ? llvm::CodeGenOpt::Aggressive
               : options.optLevel == 0 ? llvm::CodeGenOpt::None
                                       : llvm::CodeGenOpt::Default;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, to, llvm::Reloc::PIC_, std::nullopt, level));
  if (!tm)
    return error("cannot create a target machine for " + triple + " " + cpu);
  return tm;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &tm, unsigned optLevel) {
  mlir::registerLLVMDialectTranslation(*module->getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return error("translation to LLVM IR failed");
  llvmModule->setTargetTriple(tm.getTargetTriple().str());
  llvmModule->setDataLayout(tm.createDataLayout());
  // Every function gets the target's CPU and features so that the loop
  // vectoriser sees the real vector width.
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", tm.getTargetCPU());
    if (!tm.getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm.getTargetFeatureString());
  }
  optimizeLLVMModule(*llvmModule, tm, optLevel);
  return llvmModule;
}

void addPackedWrappers(llvm::Module &module) {
  llvm::SmallVector<llvm::Function *> defined;
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && !f.hasLocalLinkage())
      defined.push_back(&f);
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  for (llvm::Function *f : defined) {
    auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr},
                                         /*isVarArg=*/false);
    auto *wrapper =
        llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                               f->getName() + "_packed", module);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
    llvm::SmallVector<llvm::Value *> args;
    for (llvm::Argument &a : f->args()) {
      llvm::Value *slot =
          b.CreateConstGEP1_64(ptr, wrapper->getArg(0), a.getArgNo());
      args.push_back(b.CreateLoad(a.getType(), slot));
    }
    b.CreateCall(f, args);
    b.CreateRetVoid();
  }
}

llvm::Error emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                     llvm::CodeGenFileType type, llvm::raw_pwrite_stream &os) {
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type))
    return error("the target cannot emit this file type");
  pm.run(module);
  return llvm::Error::success();
}

} // namespace hebb::cpu
