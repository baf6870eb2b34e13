//===- Jit.cpp - run compiled code in process -----------------------------===//

#include "codegen/cpu/Jit.h"

#include "codegen/Passes.h"
#include "hebb/runtime.h"

#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"

namespace hebb::cpu {

llvm::Expected<std::unique_ptr<JitModule>>
JitModule::create(std::unique_ptr<llvm::Module> module,
                  std::unique_ptr<llvm::LLVMContext> context,
                  const TargetOptions &options) {
  auto tm = createTargetMachine(options);
  if (!tm)
    return tm.takeError();
  llvm::orc::JITTargetMachineBuilder jtmb((*tm)->getTargetTriple());
  jtmb.setCPU((*tm)->getTargetCPU().str());
  jtmb.addFeatures({(*tm)->getTargetFeatureString().str()});
  jtmb.setCodeGenOptLevel(llvm::CodeGenOpt::Aggressive);
  auto jit =
      llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(jtmb).create();
  if (!jit)
    return jit.takeError();
  auto &dylib = (*jit)->getMainJITDylib();
  auto generator =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          (*jit)->getDataLayout().getGlobalPrefix());
  if (!generator)
    return generator.takeError();
  dylib.addGenerator(std::move(*generator));
  // The runtime kernels compiled code calls, resolved to this process's
  // libhebbrt whether or not its symbols are exported.
  llvm::orc::SymbolMap runtime;
  const std::pair<const char *, void *> kernels[] = {
      {kGemmSymbol, reinterpret_cast<void *>(&hebb_sgemm)},
      {kGemmBatchedSymbol, reinterpret_cast<void *>(&hebb_sgemm_batched)},
      {kGemmFusedSymbol, reinterpret_cast<void *>(&hebb_sgemm_fused)},
      {kIm2colSymbol, reinterpret_cast<void *>(&hebb_im2col)},
      {kCol2imSymbol, reinterpret_cast<void *>(&hebb_col2im)},
      {kParallelForSymbol, reinterpret_cast<void *>(&hebb_parallel_for)},
      {kMaxPoolSymbol, reinterpret_cast<void *>(&hebb_max_pool)},
      {kConv2dSymbol, reinterpret_cast<void *>(&hebb_conv2d)},
      {kConv2dFilterGradSymbol,
       reinterpret_cast<void *>(&hebb_conv2d_filter_grad)},
      {kMaxPoolGradSymbol, reinterpret_cast<void *>(&hebb_max_pool_grad)},
      {kCudaLaunchSymbol, reinterpret_cast<void *>(&hebb_cuda_launch)}};
  for (auto [name, address] : kernels)
    runtime[(*jit)->mangleAndIntern(name)] =
        llvm::JITEvaluatedSymbol(llvm::pointerToJITTargetAddress(address),
                                 llvm::JITSymbolFlags::Exported);
  if (llvm::Error e = dylib.define(llvm::orc::absoluteSymbols(runtime)))
    return std::move(e);
  module->setDataLayout((*jit)->getDataLayout());
  llvm::SmallVector<std::pair<std::string, uint64_t>> packed;
  for (llvm::Function &f : *module)
    if (!f.isDeclaration() && f.getName().endswith("_packed")) {
      uint64_t scratch = 0;
      if (llvm::Function *raw = module->getFunction(f.getName().drop_back(7)))
        raw->getFnAttribute(kScratchAttr)
            .getValueAsString()
            .getAsInteger(10, scratch);
      packed.push_back({f.getName().str(), scratch});
    }
  if (llvm::Error e = (*jit)->addIRModule(
          llvm::orc::ThreadSafeModule(std::move(module), std::move(context))))
    return std::move(e);
  auto result = std::make_unique<JitModule>();
  result->jit = std::move(*jit);
  for (const auto &[name, scratch] : packed) {
    auto symbol = result->jit->lookup(name);
    if (!symbol)
      return symbol.takeError();
    Compiled &c = result->entries[llvm::StringRef(name).drop_back(7)];
    c.fn = symbol->toPtr<Entry>();
    c.scratchBytes = scratch;
    c.scratch.reset(static_cast<char *>(std::aligned_alloc(
        64, std::max<uint64_t>(64, (scratch + 63) / 64 * 64))));
    if (!c.scratch)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot allocate " +
                                         std::to_string(scratch) +
                                         " bytes of scratch for " + name);
  }
  return result;
}

JitModule::Entry JitModule::entry(llvm::StringRef name,
                                  uint64_t *scratchBytes) const {
  auto it = entries.find(name);
  if (it == entries.end())
    return nullptr;
  if (scratchBytes)
    *scratchBytes = it->second.scratchBytes;
  return it->second.fn;
}

llvm::Error JitModule::invoke(llvm::StringRef name,
                              llvm::ArrayRef<void *> pointers) {
  auto it = entries.find(name);
  if (it == entries.end())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no compiled function named '" + name + "'");
  llvm::SmallVector<void *> args(pointers.begin(), pointers.end());
  args.push_back(it->second.scratch.get());
  it->second.fn(args.data());
  return llvm::Error::success();
}

} // namespace hebb::cpu
