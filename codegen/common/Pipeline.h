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

namespace hebb {

/// hebb → linalg on tensors, canonicalised and with elementwise fusion.
void buildHebbToLinalgPipeline(mlir::OpPassManager &pm);

/// linalg on tensors → bufferized loops → LLVM dialect. Functions take every
/// input and output as a bare pointer (results become out-parameters).
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm);

/// Registers `hebb-to-linalg` and `hebb-lower-to-llvm` pipelines.
void registerHebbPipelines();

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_PIPELINE_H
