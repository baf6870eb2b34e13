//===- Interface.h - a model's interface as the runtime reads it -*- C++ -*-===//
//
/// \file
/// The JSON in hebb_model_desc::interface (hebb/model.h): names, dtypes and
/// shapes of inputs, outputs and labels, parameters with initialisers,
/// optimizer state slots, and the training defaults (learning rate and
/// schedule, epochs, validation split, early stopping, dataset).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_INTERFACE_H
#define HEBB_TOOLS_HEBB_INTERFACE_H

#include "frontend/Model.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <string>

namespace hebb::tool {

/// `stateNames` is @train_step's hebb.state (null without training).
std::string interfaceJson(const frontend::Model &model,
                          mlir::ArrayAttr stateNames);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_INTERFACE_H
