//===- Compiler.cpp - hebb module to runnable code ------------------------===//

#include "codegen/Compiler.h"

#include "codegen/Passes.h"
#include "codegen/common/Pipeline.h"
#include "codegen/ptx/Ptx.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

namespace hebb {

void registerCompilerDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<HebbDialect>();
}

std::unique_ptr<mlir::MLIRContext> createCompilerContext() {
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry);
  ctx->loadDialect<HebbDialect, mlir::func::FuncDialect>();
  return ctx;
}

namespace {

/// Runs `build`'s passes on `module`, the diagnostics in the error.
template <typename Build>
llvm::Error runPipeline(mlir::ModuleOp module, Build build) {
  std::string messages;
  mlir::ScopedDiagnosticHandler handler(
      module.getContext(), [&](mlir::Diagnostic &diag) {
        if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
          messages += (messages.empty() ? "" : "; ") + diag.str();
        return mlir::success();
      });
  mlir::PassManager pm(module.getContext());
  build(pm);
  if (mlir::failed(pm.run(module)))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "lowering failed: " + messages);
  return llvm::Error::success();
}

} // namespace

llvm::Error lowerModule(mlir::ModuleOp module, Stage stage,
                        const std::string &gpu) {
  if (!gpu.empty() && gpu != kEmulateGpu)
    if (llvm::Error e = ptx::checkChip(gpu))
      return e;
  return runPipeline(module, [&](mlir::OpPassManager &pm) {
    buildHebbToLinalgPipeline(pm);
    if (stage != Stage::LLVMDialect)
      return;
    if (gpu.empty()) {
      buildLinalgToLLVMPipeline(pm);
      return;
    }
    if (gpu == kEmulateGpu) {
      buildEmulatedGpuPipeline(pm);
      return;
    }
    buildLinalgToGpuPipeline(pm);
    buildGpuToLLVMPipeline(pm, gpu);
  });
}

llvm::Expected<std::string> compileToPtx(mlir::ModuleOp module,
                                         const std::string &gpu) {
  if (llvm::Error e = ptx::checkChip(gpu))
    return std::move(e);
  mlir::OwningOpRef<mlir::ModuleOp> clone(module.clone());
  if (llvm::Error e = runPipeline(*clone, [&](mlir::OpPassManager &pm) {
        buildHebbToLinalgPipeline(pm);
        buildLinalgToGpuPipeline(pm);
        buildKernelsToPtxPipeline(pm, gpu);
      }))
    return std::move(e);
  std::string ptx;
  for (auto kernels : clone->getOps<mlir::gpu::GPUModuleOp>())
    if (auto text = kernels->getAttrOfType<mlir::StringAttr>(
            mlir::gpu::getDefaultGpuBinaryAnnotation()))
      ptx += text.getValue().drop_back(); // the NUL cuModuleLoadData reads
  return ptx;
}

llvm::Expected<LLVMArtifact> compileToLLVM(mlir::ModuleOp module,
                                           llvm::TargetMachine &tm,
                                           unsigned optLevel,
                                           const std::string &gpu) {
  mlir::OwningOpRef<mlir::ModuleOp> clone(module.clone());
  if (llvm::Error e = lowerModule(*clone, Stage::LLVMDialect, gpu))
    return std::move(e);
  LLVMArtifact artifact;
  artifact.context = std::make_unique<llvm::LLVMContext>();
  auto llvmModule =
      cpu::translateAndOptimize(*clone, *artifact.context, tm, optLevel);
  if (!llvmModule)
    return llvmModule.takeError();
  artifact.module = std::move(*llvmModule);
  artifact.packed.packs = (*clone)->getAttrOfType<mlir::ArrayAttr>(kPacksAttr);
  if (auto floats =
          (*clone)->getAttrOfType<mlir::IntegerAttr>(kPackedFloatsAttr))
    artifact.packed.floats = floats.getInt();
  cpu::addPackedWrappers(*artifact.module);
  return artifact;
}

llvm::Expected<std::unique_ptr<cpu::JitModule>>
compileForJit(mlir::ModuleOp module, const cpu::TargetOptions &options,
              PackedWeights *packed) {
  auto tm = cpu::createTargetMachine(options);
  if (!tm)
    return tm.takeError();
  auto artifact = compileToLLVM(module, **tm, options.optLevel, options.gpu);
  if (!artifact)
    return artifact.takeError();
  if (packed)
    *packed = artifact->packed;
  return cpu::JitModule::create(std::move(artifact->module),
                                std::move(artifact->context), options);
}

} // namespace hebb
