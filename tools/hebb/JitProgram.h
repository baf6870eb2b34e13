//===- JitProgram.h - a JIT-compiled model behind hebb_model_desc -*- C++
//-*-===//
//
/// \file
/// `hebb train` and `hebb eval` compile the model in process and hand it to
/// the same driver as compiled programs (runtime/driver): the JIT's entries
/// and the model's interface make a hebb_model_desc.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_JITPROGRAM_H
#define HEBB_TOOLS_HEBB_JITPROGRAM_H

#include "frontend/Model.h"

#include "codegen/cpu/Jit.h"
#include "hebb/model.h"

#include <memory>
#include <string>

namespace hebb::tool {

struct JitProgram {
  std::unique_ptr<cpu::JitModule> jit;
  std::string interface;
  hebb_model_desc desc{};
  double compileMs = 0;
};

/// Compiles `model`'s module as it stands (@forward, @eval and, when built,
/// @train_step) for `cpu`, and for the GPU `gpu` of deviceTarget (Args.h).
JitProgram compileProgram(frontend::Model &model, const std::string &cpu,
                          const std::string &gpu = "");

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_JITPROGRAM_H
