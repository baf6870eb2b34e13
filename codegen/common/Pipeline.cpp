//===- Pipeline.cpp - hebb lowering pipelines -----------------------------===//
//
// The order matters in MLIR 16: tensor.empty must become alloc_tensor before
// one-shot bufferization; results become out-parameters before deallocation
// is placed; strided metadata is expanded before memref → LLVM.
//
//===----------------------------------------------------------------------===//

#include "codegen/common/Pipeline.h"

#include "codegen/Passes.h"

#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace hebb {

void buildHebbToLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createDecomposePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLowerScanPass());
  pm.addPass(createConvertHebbToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createFuseElementwisePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// What the CPU and GPU pipelines share: bufferization with results as
/// out-parameters (each then places every static temporary in the scratch
/// with hebb-plan-memory).
static void buildBufferizePipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createUnshareInitsPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.allowReturnAllocs = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  pm.addPass(bufferization::createBufferResultsToOutParamsPass());
  pm.addPass(createCanonicalizerPass());
  // Temporaries of a loop's body (hebb.scan) move out of the loop, where
  // hebb-plan-memory places them.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferDeallocationPass());
  pm.addNestedPass<func::FuncOp>(createForwardResultsPass());
  pm.addNestedPass<func::FuncOp>(createCopyToLinalgPass());
}

/// Host functions (index arithmetic, views, loops, calls) to the LLVM
/// dialect with the bare-pointer calling convention.
static void buildHostToLLVMPipeline(OpPassManager &pm) {
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createMemRefToLLVMConversionPass());
  std::unique_ptr<Pass> funcToLLVM = createConvertFuncToLLVMPass();
  (void)funcToLLVM->initializeOptions("use-bare-ptr-memref-call-conv=1");
  pm.addPass(std::move(funcToLLVM));
}

void buildLinalgToLLVMPipeline(OpPassManager &pm) {
  buildBufferizePipeline(pm);
  // A product that takes the next op as its epilogue writes that op's
  // output: it must be live (placed apart) while the product reads.
  pm.addNestedPass<func::FuncOp>(createPrepareGemmEpiloguesPass());
  pm.addPass(createPlanMemoryPass());
  pm.addPass(createGemmToRuntimePass());
  pm.addPass(createWindowToRuntimePass());
  pm.addPass(createOutlineKernelsPass());
  pm.addPass(createParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createMathApproximationPass());
  buildHostToLLVMPipeline(pm);
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createLaunchTasksPass());
  pm.addPass(createCanonicalizerPass());
}

void buildEmulatedGpuPipeline(OpPassManager &pm) {
  buildBufferizePipeline(pm);
  pm.addPass(createPlanMemoryPass());
  // Its threads run one after another: no kernel may wait at a barrier.
  std::unique_ptr<Pass> map = createMapToGpuPass();
  (void)map->initializeOptions("cooperative=0");
  pm.addPass(std::move(map));
  pm.addNestedPass<func::FuncOp>(createFuseLaunchesPass());
  pm.addPass(createLaunchToLoopsPass());
  pm.addPass(createExpandPowPass());
  pm.addPass(createMathApproximationPass());
  buildHostToLLVMPipeline(pm);
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void buildLinalgToGpuPipeline(OpPassManager &pm) {
  buildBufferizePipeline(pm);
  pm.addPass(createPlanMemoryPass());
  pm.addPass(createMapToGpuPass());
  pm.addNestedPass<func::FuncOp>(createFuseLaunchesPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createMergeGpuModulesPass());
}

void buildKernelsToPtxPipeline(OpPassManager &pm, const std::string &chip) {
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createConvertSCFToCFPass());
  kernels.addPass(createExpandPowPass());
  kernels.addPass(createMathApproximationPass());
  kernels.addPass(createLowerGpuOpsToNVVMOpsPass());
  // What the NVVM conversion leaves (math.fma of the approximations).
  kernels.addPass(createConvertMathToLLVMPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  std::unique_ptr<Pass> serialize = createSerializeToPtxPass();
  (void)serialize->initializeOptions("chip=" + chip);
  pm.addPass(std::move(serialize));
}

void buildGpuToLLVMPipeline(OpPassManager &pm, const std::string &chip) {
  buildKernelsToPtxPipeline(pm, chip);
  pm.addPass(createLowerLaunchesPass());
  buildHostToLLVMPipeline(pm);
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void registerHebbPipelines() {
  PassPipelineRegistration<>("hebb-to-linalg",
                             "Lower hebb to linalg on tensors",
                             buildHebbToLinalgPipeline);
  PassPipelineRegistration<>("hebb-lower-to-llvm",
                             "Lower hebb all the way to the LLVM dialect",
                             [](OpPassManager &pm) {
                               buildHebbToLinalgPipeline(pm);
                               buildLinalgToLLVMPipeline(pm);
                             });
  PassPipelineRegistration<>(
      "hebb-lower-to-gpu", "Lower hebb to gpu.launch kernels in one gpu.module",
      [](OpPassManager &pm) {
        buildHebbToLinalgPipeline(pm);
        buildLinalgToGpuPipeline(pm);
      });
}

} // namespace hebb
