//===- Layers.h - internal: builders of the layers form ---------*- C++ -*-===//
//
/// \file
/// What a layer builder gets and the helpers they share. Dense and
/// elementwise layers are in LayersForm.cpp, image layers in ImageLayers.cpp,
/// sequence layers in SequenceLayers.cpp;
/// the table of layer names is frontend/Tables.def (HEBB_LAYER).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_FRONTEND_LAYERS_H
#define HEBB_FRONTEND_LAYERS_H

#include "frontend/Forms.h"

namespace hebb::frontend {

struct LayerContext {
  GraphBuilder &g;
  Model &model;
  const JNode &node;
  std::string name;
  mlir::Value x;
};

inline mlir::RankedTensorType typeOf(mlir::Value v) {
  return v.getType().cast<mlir::RankedTensorType>();
}

/// Adds parameter `<layer name>.<suffix>` of `shape`, initialised from
/// `initKey` of the layer when given, else `defaultInit` (fan-in and
/// fan-out for the scaled initialisers); `buffer` for running statistics.
mlir::Value addParam(LayerContext &c, const char *suffix,
                     std::vector<int64_t> shape, const char *initKey,
                     hebb_init_kind defaultInit, int64_t fanIn, int64_t fanOut,
                     bool buffer = false);

/// The layer's "activation" applied to c.x (when the key is present).
mlir::Value applyActivation(LayerContext &c, const JNode &actNode);

/// c.x plus the layer's bias parameter [channels] broadcast along axis 1.
mlir::Value addBias(LayerContext &c, mlir::Value y, int64_t fanIn,
                    int64_t fanOut);

#define HEBB_LAYER(name, fn) mlir::Value fn(LayerContext &c);
#include "frontend/Tables.def"

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_LAYERS_H
