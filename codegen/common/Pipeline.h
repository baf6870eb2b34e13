//===- Pipeline.h - hebb lowering pipelines ---------------------*- C++ -*-===//
//
/// \file
/// The pass pipelines from the hebb dialect down to the LLVM dialect. Each
/// stage can be stopped at (the driver's --emit) and each is registered for
/// hebb-opt.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMMON_PIPELINE_H
#define HEBB_CODEGEN_COMMON_PIPELINE_H

#include "mlir/Pass/PassManager.h"

#include <string>

namespace hebb {

/// hebb → linalg on tensors, canonicalised and with elementwise fusion.
void buildHebbToLinalgPipeline(mlir::OpPassManager &pm);

/// linalg on tensors → bufferized loops → LLVM dialect. Functions take every
/// input and output as a bare pointer (results become out-parameters).
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm);

/// linalg on tensors → bufferized buffers → one gpu.launch per loop nest
/// → kernels outlined into the gpu.module @hebb_kernels (the PTX target).
void buildLinalgToGpuPipeline(mlir::OpPassManager &pm);

/// The GPU mapping run by the CPU: bufferization, hebb-map-to-gpu, then
/// each launch as loops over blocks and threads, down to the LLVM dialect
/// (the CPU check of the PTX target's loop programs).
void buildEmulatedGpuPipeline(mlir::OpPassManager &pm);

/// The kernels of each gpu.module to NVVM, then PTX for `chip` in its
/// gpu.binary attribute.
void buildKernelsToPtxPipeline(mlir::OpPassManager &pm,
                               const std::string &chip);

/// The kernels to PTX for `chip` (in the module's gpu.binary attribute),
/// the host functions to the LLVM dialect with runtime calls that load
/// that PTX and launch its kernels.
void buildGpuToLLVMPipeline(mlir::OpPassManager &pm, const std::string &chip);

/// Registers `hebb-to-linalg` and `hebb-lower-to-llvm` pipelines.
void registerHebbPipelines();

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_PIPELINE_H
