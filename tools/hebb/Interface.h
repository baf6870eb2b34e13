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

#include "frontend/Model.h"

#include <string>

namespace hebb::tool {

/// Call before lowering: the optimizer state comes from @train_step's
/// `hebb.state` and `hebb.state_params` attributes, when it exists.
std::string interfaceJson(const frontend::Model &model);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_INTERFACE_H
