//===- Aot.h - models compiled ahead of time: object and header -*- C++ -*-===//
//
/// \file
/// Builds what `hebb compile --emit=obj,header` writes: an LLVM module with
/// the model's entries (forward, and eval + train_step with training) as
/// internal functions, exported through one constant, NAME_descriptor (a
/// hebb_model_desc, hebb/model.h); and the C header that declares it with
/// typed NAME_* wrappers.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_AOT_H
#define HEBB_TOOLS_HEBB_AOT_H

#include "codegen/Compiler.h"
#include "frontend/Model.h"

#include "llvm/Target/TargetMachine.h"

#include <string>

namespace hebb::tool {

struct AotArtifact {
  LLVMArtifact llvm;
  std::string header;
  uint64_t scratchBytes = 0;
};

/// Compiles `model` (its module is consumed) for `tm`. With `weights` (a
/// safetensors file holding every parameter) the file's bytes go into the
/// object's read-only data and contexts start from them.
AotArtifact buildAot(frontend::Model &model, llvm::TargetMachine &tm,
                     unsigned optLevel, const std::string &weights = "",
                     const std::string &gpu = "");

/// A module holding only `int main(argc, argv)`, which hands the model
/// `name`'s descriptor to hebb_driver_main (libhebbdriver).
std::unique_ptr<llvm::Module> buildDriverMain(const std::string &name,
                                              llvm::LLVMContext &ctx,
                                              llvm::TargetMachine &tm);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_AOT_H
