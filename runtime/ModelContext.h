//===- ModelContext.h - what a hebb_model holds -----------------*- C++ -*-===//
//
/// \file
/// Internal to libhebbrt: the context behind the hebb_model handle, shared
/// by the entry calls (Model.cpp), checkpoints (ModelFiles.cpp) and the
/// typed interface queries (ModelInfo.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_MODELCONTEXT_H
#define HEBB_RUNTIME_MODELCONTEXT_H

#include "Interface.h"

#include <vector>

namespace hebb::cuda {
struct DeviceModel;
} // namespace hebb::cuda

struct hebb_model {
  const hebb_model_desc *desc = nullptr;
  hebb::rt::Interface m;
  void *owned = nullptr;
  /// Parameters and optimizer state twice: a step reads one copy and writes
  /// the other, then they swap.
  std::vector<void *> params, next, state, nextState;
  float *loss = nullptr, *lr = nullptr, *step = nullptr, *evalLoss = nullptr;
  int32_t *seed = nullptr;
  void *scratch = nullptr;
  /// The inference entries' packed copies of weights (Interface::packs),
  /// and whether the parameters may have changed since they were packed.
  float *packed = nullptr;
  bool packsStale = true;
  /// Argument arrays are filled in place: a call allocates nothing.
  std::vector<void *> args;
  /// Views of the interface's inline data (hebb_model_training).
  hebb_tensor inlineX{}, inlineY{};
  /// The device copy of a GPU model's tensors (null for the CPU).
  hebb::cuda::DeviceModel *device = nullptr;
  uint64_t seedValue = 0;
  int64_t steps = 0;

  const hebb::rt::ParamDecl &paramOf(size_t stateSlot) const {
    return m.params[m.training.state[stateSlot].param];
  }
};

namespace hebb::rt {

/// A tensor view of `decl`'s type and shape over `data`.
hebb_tensor view(const TensorDecl &decl, void *data);

/// Copies parameters (required), optimizer state and progress (optional)
/// from `file`, which it closes. Everything is checked before anything is
/// written: a failure leaves the context unchanged.
hebb_status loadFrom(hebb_model *ctx, hebb_safetensors *file,
                     const std::string &path);

} // namespace hebb::rt

#endif // HEBB_RUNTIME_MODELCONTEXT_H
