//===- Target.h - host code generation with LLVM ----------------*- C++ -*-===//
//
/// \file
/// From an LLVM-dialect module to optimised LLVM IR, assembly or an object
/// file for the host (or a named x86-64 level).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_CPU_TARGET_H
#define HEBB_CODEGEN_CPU_TARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace hebb::cpu {

struct TargetOptions {
  /// "native", or an LLVM CPU name such as "x86-64-v3" or "x86-64-v4".
  std::string cpu = "native";
  unsigned optLevel = 3;
  /// "" for CPU code; kEmulateGpu (Compiler.h) runs the GPU mapping.
  std::string gpu;
};

/// Initialises the native LLVM target once per process.
void initializeNativeTarget();

/// A TargetMachine for the host triple and the requested CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options);

/// Translates `module` (LLVM dialect) to LLVM IR and runs the O-level
/// pipeline tuned for `tm` (this is where loops are vectorised).
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &tm, unsigned optLevel);

/// Adds `void <name>_packed(void **args)` calling `name(args[0], ...)` for
/// every defined function: one entry point shape for generic callers.
void addPackedWrappers(llvm::Module &module);

/// Emits assembly or an object file.
llvm::Error emitCode(llvm::Module &module, llvm::TargetMachine &tm,
                     llvm::CodeGenFileType type, llvm::raw_pwrite_stream &os);

} // namespace hebb::cpu

#endif // HEBB_CODEGEN_CPU_TARGET_H
