//===- LLVMOptimize.h - LLVM's O-level pipeline for any target --*- C++ -*-===//
//
/// \file
/// What the CPU and PTX targets share once a module is LLVM IR: the
/// default optimisation pipeline, tuned by the target machine.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMMON_LLVMOPTIMIZE_H
#define HEBB_CODEGEN_COMMON_LLVMOPTIMIZE_H

#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

namespace hebb {

/// Runs LLVM's default pipeline at `optLevel` (0 to 3) on `module`, with
/// loop and SLP vectorisation from O2.
void optimizeLLVMModule(llvm::Module &module, llvm::TargetMachine &tm,
                        unsigned optLevel);

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_LLVMOPTIMIZE_H
