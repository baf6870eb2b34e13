//===- Passes.h - hebb code generation passes -------------------*- C++ -*-===//
//
/// \file
/// Lowering passes from the hebb dialect to LLVM, and the pipelines that
/// chain them (see Pipeline.h).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_PASSES_H
#define HEBB_CODEGEN_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace hebb {

/// Lowers hebb ops to linalg/tensor/arith/math on tensors.
std::unique_ptr<mlir::Pass> createConvertHebbToLinalgPass();

std::unique_ptr<mlir::Pass> createDecomposePass();

/// hebb.scan as scf.for over tensor slices.
std::unique_ptr<mlir::Pass> createLowerScanPass();

/// Expands transcendental math ops into vectorisable polynomials.
std::unique_ptr<mlir::Pass> createMathApproximationPass();

/// Rewrites memref.copy as linalg.copy (loops instead of a runtime call).
std::unique_ptr<mlir::Pass> createCopyToLinalgPass();

/// Elementwise fusion that never makes a consumer recompute its producer.
std::unique_ptr<mlir::Pass> createFuseElementwisePass();

/// Gives each destination-style user of a shared linalg.fill its own fill.
std::unique_ptr<mlir::Pass> createUnshareInitsPass();

/// Computes results in their out-parameters (no final copies).
std::unique_ptr<mlir::Pass> createForwardResultsPass();

/// Places every static temporary in one scratch argument (no allocation).
std::unique_ptr<mlir::Pass> createPlanMemoryPass();

/// The LLVM function attribute holding an entry's scratch size in bytes.
inline constexpr const char *kScratchAttr = "hebb-scratch-bytes";

/// Moves the allocation of a product's future epilogue output before it.
std::unique_ptr<mlir::Pass> createPrepareGemmEpiloguesPass();

/// Replaces matrix-product generics on buffers with calls to hebb_sgemm.
std::unique_ptr<mlir::Pass> createGemmToRuntimePass();
/// Replaces im2col and col2im generics on buffers with libhebbrt calls.
std::unique_ptr<mlir::Pass> createWindowToRuntimePass();
/// Large functions' loop nests as functions of their own (compile time).
std::unique_ptr<mlir::Pass> createOutlineKernelsPass();
/// Large loop nests with a parallel outer loop as range-split tasks.
std::unique_ptr<mlir::Pass> createParallelLoopsPass();
/// Calls of those tasks through hebb_parallel_for (LLVM dialect).
std::unique_ptr<mlir::Pass> createLaunchTasksPass();

/// Each top-level loop nest on buffers as a gpu.launch (PTX target).
std::unique_ptr<mlir::Pass> createMapToGpuPass();
/// Independent consecutive launches as one launch.
std::unique_ptr<mlir::Pass> createFuseLaunchesPass();
/// The outlined kernels in one gpu.module, @hebb_kernels.
std::unique_ptr<mlir::Pass> createMergeGpuModulesPass();
/// math.powf without a libm call.
std::unique_ptr<mlir::Pass> createExpandPowPass();
/// gpu.module (NVVM dialect) to PTX text in its gpu.binary attribute.
std::unique_ptr<mlir::Pass> createSerializeToPtxPass();
/// gpu.launch as loops over blocks and threads (the CPU runs the mapping).
std::unique_ptr<mlir::Pass> createLaunchToLoopsPass();
/// gpu.launch_func as hebb_cuda_launch calls (the module's PTX embedded).
std::unique_ptr<mlir::Pass> createLowerLaunchesPass();
/// The runtime function the launches call.
inline constexpr const char *kCudaLaunchSymbol = "hebb_cuda_launch";
/// The one gpu.module of a model after hebb-merge-gpu-modules.
inline constexpr const char *kKernelModule = "hebb_kernels";

/// The attribute of a task function: [extent, grain, work].
inline constexpr const char *kParallelAttr = "hebb.parallel";

/// The runtime symbols that hebb-gemm-to-runtime, hebb-window-to-runtime
/// and hebb-launch-tasks call.
inline constexpr const char *kGemmSymbol = "hebb_sgemm";
inline constexpr const char *kGemmBatchedSymbol = "hebb_sgemm_batched";
inline constexpr const char *kGemmFusedSymbol = "hebb_sgemm_fused";

/// Module attributes of hebb-gemm-to-runtime: the weights the inference
/// entries read packed (an array of {param, n, k, rs, cs, offset}
/// dictionaries, runtime/Interface.h's PackDecl) and the floats of the area
/// that holds them.
inline constexpr const char *kPacksAttr = "hebb.packs";
inline constexpr const char *kPackedFloatsAttr = "hebb.packed_floats";
inline constexpr const char *kIm2colSymbol = "hebb_im2col";
inline constexpr const char *kCol2imSymbol = "hebb_col2im";
inline constexpr const char *kParallelForSymbol = "hebb_parallel_for";
inline constexpr const char *kMaxPoolSymbol = "hebb_max_pool";
inline constexpr const char *kMaxPoolGradSymbol = "hebb_max_pool_grad";
inline constexpr const char *kConv2dSymbol = "hebb_conv2d";
inline constexpr const char *kConv2dFilterGradSymbol =
    "hebb_conv2d_filter_grad";

/// What a window generic of the window fusions computes, for
/// hebb-window-to-runtime: the maxima and first taps of a max pooling, or
/// the scatter of their gradient; a convolution read from the image, or
/// its filter gradient.
inline constexpr const char *kWindowAttr = "hebb.window";
inline constexpr const char *kFirstMaxWindow = "first_max";
inline constexpr const char *kMaxScatterWindow = "max_scatter";
inline constexpr const char *kConvWindow = "conv";
inline constexpr const char *kConvFilterGradWindow = "conv_filter_grad";

#define GEN_PASS_REGISTRATION
#include "codegen/Passes.h.inc"

} // namespace hebb

#endif // HEBB_CODEGEN_PASSES_H
