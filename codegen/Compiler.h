//===- Compiler.h - hebb module to runnable code ----------------*- C++ -*-===//
//
/// \file
/// The one entry point the tools use: lower a hebb module to a stage
/// (linalg, LLVM dialect), to optimised LLVM IR, or to a JIT module.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_COMPILER_H
#define HEBB_CODEGEN_COMPILER_H

#include "codegen/cpu/Jit.h"
#include "codegen/cpu/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

namespace hebb {

/// Registers hebb and every dialect (and interface model) the compiler
/// lowers through.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// A context with those dialects registered and hebb and func loaded: what
/// the frontend, the tools and the tests start from.
std::unique_ptr<mlir::MLIRContext> createCompilerContext();

enum class Stage { Linalg, LLVMDialect };

/// The `gpu` of lowerModule and compileToLLVM that runs the GPU-mapped
/// program on the CPU (buildEmulatedGpuPipeline) instead of making PTX.
inline constexpr const char *kEmulateGpu = "gpu-emulation";

/// Lowers `module` in place to `stage`: for the CPU when `gpu` is empty,
/// else its loop nests become PTX kernels for that chip (sm_NN) and its
/// functions host code that launches them (or, for kEmulateGpu, loops
/// that run those kernels on the CPU). Failures return an error
/// carrying the diagnostics.
llvm::Error lowerModule(mlir::ModuleOp module, Stage stage,
                        const std::string &gpu = "");

/// The PTX text of a clone of `module`'s kernels for `gpu`.
llvm::Expected<std::string> compileToPtx(mlir::ModuleOp module,
                                         const std::string &gpu);

/// The weights the inference entries read packed, as hebb-gemm-to-runtime
/// recorded them (kPacksAttr: {param, n, k, rs, cs, offset} dictionaries),
/// and the floats of the area that holds them; empty without any.
struct PackedWeights {
  mlir::ArrayAttr packs;
  int64_t floats = 0;
};

struct LLVMArtifact {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  PackedWeights packed;
};

/// Lowers a clone of the hebb `module` to optimised LLVM IR for `tm`, with
/// packed wrappers.
llvm::Expected<LLVMArtifact> compileToLLVM(mlir::ModuleOp module,
                                           llvm::TargetMachine &tm,
                                           unsigned optLevel,
                                           const std::string &gpu = "");

/// compileToLLVM then JIT; `packed`, when given, receives the artifact's.
llvm::Expected<std::unique_ptr<cpu::JitModule>>
compileForJit(mlir::ModuleOp module, const cpu::TargetOptions &options,
              PackedWeights *packed = nullptr);

} // namespace hebb

#endif // HEBB_CODEGEN_COMPILER_H
