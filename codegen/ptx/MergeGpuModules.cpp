//===- MergeGpuModules.cpp - one gpu.module per model ---------------------===//
//
/// gpu-kernel-outlining makes a gpu.module per kernel, with a copy of each
/// memref.global its kernel reads. Here every kernel moves into one module,
/// @hebb_kernels (one PTX text, loaded once), each global once, and the
/// launches are pointed at it.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBMERGEGPUMODULES
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

struct MergeGpuModules
    : public hebb::impl::HebbMergeGpuModulesBase<MergeGpuModules> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Where each kernel goes: @hebb_kernels, or @<function>_kernels.
    llvm::StringMap<std::string> target;
    module.walk([&](gpu::LaunchFuncOp launch) {
      std::string into = hebb::kKernelModule;
      target[launch.getKernelModuleName().getValue()] = into;
      // A kernel takes its module's name, unique in the parent (outlining
      // names every kernel of a function alike and uniquifies the modules).
      launch->setAttr("kernel",
                      SymbolRefAttr::get(
                          StringAttr::get(&getContext(), into),
                          {SymbolRefAttr::get(launch.getKernelModuleName())}));
    });
    llvm::StringMap<gpu::GPUModuleOp> merged;
    for (gpu::GPUModuleOp m :
         llvm::make_early_inc_range(module.getOps<gpu::GPUModuleOp>())) {
      auto it = target.find(m.getName());
      if (it == target.end())
        continue;
      gpu::GPUModuleOp &into = merged[it->second];
      if (!into) {
        OpBuilder b(m);
        into = b.create<gpu::GPUModuleOp>(m.getLoc(), it->second);
      }
      Block &body = into.getBodyRegion().front();
      for (Operation &op :
           llvm::make_early_inc_range(m.getBodyRegion().front())) {
        if (isa<gpu::ModuleEndOp>(op))
          continue;
        if (auto kernel = dyn_cast<gpu::GPUFuncOp>(op))
          kernel.setName(m.getName());
        // Outlining copied the globals a kernel reads into its module:
        // one copy each is enough.
        else if (auto sym = dyn_cast<SymbolOpInterface>(op))
          if (SymbolTable::lookupSymbolIn(into, sym.getNameAttr()))
            continue;
        op.moveBefore(body.getTerminator());
      }
      m.erase();
    }
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createMergeGpuModulesPass() {
  return std::make_unique<MergeGpuModules>();
}
