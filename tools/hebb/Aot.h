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
};

/// Compiles `model` (its module is consumed) for `tm`.
AotArtifact buildAot(frontend::Model &model, llvm::TargetMachine &tm,
                     unsigned optLevel);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_AOT_H
