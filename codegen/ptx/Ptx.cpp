//===- Ptx.cpp - gpu.module to PTX text with LLVM's NVPTX backend ---------===//

#include "codegen/ptx/Ptx.h"
#include "codegen/Passes.h"
#include "codegen/common/LLVMOptimize.h"

#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

extern "C" {
void LLVMInitializeNVPTXTargetInfo();
void LLVMInitializeNVPTXTarget();
void LLVMInitializeNVPTXTargetMC();
void LLVMInitializeNVPTXAsmPrinter();
}

namespace hebb {
#define GEN_PASS_DECL_HEBBSERIALIZETOPTX
#define GEN_PASS_DEF_HEBBSERIALIZETOPTX
#include "codegen/Passes.h.inc"
} // namespace hebb

namespace hebb::ptx {

static llvm::Error error(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

static constexpr const char *kTriple = "nvptx64-nvidia-cuda";

llvm::Error checkChip(llvm::StringRef chip) {
  llvm::StringRef digits = chip;
  if (!digits.consume_front("sm_") || digits.empty() ||
      !llvm::all_of(digits, [](char c) { return llvm::isDigit(c); }))
    return error("unknown GPU '" + chip + "' (expected sm_NN, e.g. sm_80)");
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const GpuTarget &target) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
  if (llvm::Error e = checkChip(target.chip))
    return std::move(e);
  std::string message;
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(kTriple, message);
  if (!t)
    return error("no NVPTX target in this LLVM: " + message);
  std::unique_ptr<llvm::TargetMachine> tm(t->createTargetMachine(
      kTriple, target.chip, target.features, llvm::TargetOptions(),
      std::nullopt, std::nullopt, llvm::CodeGenOpt::Aggressive));
  if (!tm)
    return error("cannot create an NVPTX target machine for " + target.chip);
  return tm;
}

/// convert-gpu-to-nvvm calls libdevice (__nv_sqrtf, ...) for the math ops
/// the polynomial approximations leave. hebb does not link libdevice (no
/// CUDA toolkit is needed to compile): the ones with an LLVM intrinsic
/// that NVPTX selects to one instruction get a body here; any other is an
/// error naming it.
static llvm::Error defineLibdevice(llvm::Module &module) {
  static const std::pair<const char *, llvm::Intrinsic::ID> table[] = {
      {"__nv_sqrtf", llvm::Intrinsic::sqrt},
      {"__nv_sqrt", llvm::Intrinsic::sqrt},
      {"__nv_fabsf", llvm::Intrinsic::fabs},
      {"__nv_fabs", llvm::Intrinsic::fabs},
      {"__nv_floorf", llvm::Intrinsic::floor},
      {"__nv_floor", llvm::Intrinsic::floor},
      {"__nv_ceilf", llvm::Intrinsic::ceil},
      {"__nv_ceil", llvm::Intrinsic::ceil},
      {"__nv_truncf", llvm::Intrinsic::trunc},
      {"__nv_fmaf", llvm::Intrinsic::fma},
      {"__nv_copysignf", llvm::Intrinsic::copysign},
      {"__nv_rsqrtf", llvm::Intrinsic::sqrt}};
  for (llvm::Function &f : module) {
    if (!f.isDeclaration() || !f.getName().startswith("__nv_"))
      continue;
    const auto *it = llvm::find_if(
        table, [&](const auto &e) { return f.getName() == e.first; });
    if (it == std::end(table))
      return error("no GPU lowering for " + f.getName() +
                   " (a math function without a polynomial approximation)");
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(f.getContext(), "", &f));
    llvm::SmallVector<llvm::Value *> args;
    for (llvm::Argument &a : f.args())
      args.push_back(&a);
    llvm::Value *r = b.CreateIntrinsic(it->second, {f.getReturnType()}, args);
    if (f.getName() == "__nv_rsqrtf")
      r = b.CreateFDiv(llvm::ConstantFP::get(f.getReturnType(), 1.0), r);
    b.CreateRet(r);
    f.setLinkage(llvm::GlobalValue::InternalLinkage);
    f.addFnAttr(llvm::Attribute::AlwaysInline);
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> translateToPtx(mlir::gpu::GPUModuleOp module,
                                           const GpuTarget &target) {
  auto tm = createTargetMachine(target);
  if (!tm)
    return tm.takeError();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, module.getName());
  if (!llvmModule)
    return error("translation of the GPU kernels to LLVM IR failed");
  if (llvm::Error e = defineLibdevice(*llvmModule))
    return std::move(e);
  llvmModule->setTargetTriple(kTriple);
  llvmModule->setDataLayout((*tm)->createDataLayout());
  optimizeLLVMModule(*llvmModule, **tm, target.optLevel);
  std::string ptx;
  {
    llvm::raw_string_ostream os(ptx);
    llvm::buffer_ostream out(os);
    llvm::legacy::PassManager pm;
    if ((*tm)->addPassesToEmitFile(pm, out, nullptr, llvm::CGFT_AssemblyFile))
      return error("the NVPTX target cannot emit PTX");
    pm.run(*llvmModule);
  }
  return ptx;
}

} // namespace hebb::ptx

using namespace mlir;

namespace {

struct SerializeToPtx
    : public hebb::impl::HebbSerializeToPtxBase<SerializeToPtx> {
  using HebbSerializeToPtxBase::HebbSerializeToPtxBase;
  void runOnOperation() override {
    hebb::ptx::GpuTarget target;
    target.chip = chip;
    target.features = features;
    for (auto module : getOperation().getOps<gpu::GPUModuleOp>()) {
      auto ptx = hebb::ptx::translateToPtx(module, target);
      if (!ptx) {
        module.emitError(llvm::toString(ptx.takeError()));
        return signalPassFailure();
      }
      ptx->push_back('\0');
      module->setAttr(gpu::getDefaultGpuBinaryAnnotation(),
                      StringAttr::get(&getContext(), *ptx));
    }
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createSerializeToPtxPass() {
  return std::make_unique<SerializeToPtx>();
}
