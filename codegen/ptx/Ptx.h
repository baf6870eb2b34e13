//===- Ptx.h - gpu.module to PTX text with LLVM's NVPTX backend -*- C++ -*-===//
//
/// \file
/// MLIR 16 has no working cubin serialisation: hebb translates a kernel
/// module (LLVM and NVVM dialects) to LLVM IR and runs the NVPTX
/// TargetMachine itself. The PTX is JIT-compiled by the CUDA driver when
/// libhebbrt loads it (cuModuleLoadData).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_PTX_PTX_H
#define HEBB_CODEGEN_PTX_PTX_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace hebb::ptx {

/// The GPU a PTX module is compiled for.
struct GpuTarget {
  std::string chip = "sm_80"; ///< sm_NN
  std::string features = "+ptx78";
  unsigned optLevel = 3;
};

/// Checks the spelling of a chip ("sm_" and digits); the error names it.
llvm::Error checkChip(llvm::StringRef chip);

/// An NVPTX64 TargetMachine for `target`.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const GpuTarget &target);

/// The PTX text of `module` (in the LLVM and NVVM dialects).
llvm::Expected<std::string> translateToPtx(mlir::gpu::GPUModuleOp module,
                                           const GpuTarget &target);

} // namespace hebb::ptx

#endif // HEBB_CODEGEN_PTX_PTX_H
