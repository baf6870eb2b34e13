//===- Interface.h - a model's interface for libhebbrt ----------*- C++ -*-===//
//
/// \file
/// Fills the runtime's description of a compiled model (runtime/Interface.h)
/// from the frontend's model and @train_step's state attributes, and writes
/// it as the JSON of hebb_model_desc::interface.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_INTERFACE_H
#define HEBB_TOOLS_HEBB_INTERFACE_H

#include "codegen/Compiler.h"
#include "frontend/Model.h"

#include <string>

namespace hebb::tool {

/// Call before lowering: the optimizer state comes from @train_step's
/// `hebb.state` and `hebb.state_params` attributes, when it exists.
std::string interfaceJson(const frontend::Model &model);

/// `json` (from interfaceJson) with the weights the compiled inference
/// entries read packed.
std::string withPackedWeights(const std::string &json,
                              const PackedWeights &packed);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_INTERFACE_H
