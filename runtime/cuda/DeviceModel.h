//===- DeviceModel.h - a context's tensors on a CUDA device -----*- C++ -*-===//
//
/// \file
/// Internal to libhebbrt. A context of a GPU model keeps its host layout
/// (initialisation, checkpoints and parameter views work on it unchanged)
/// and a mirror: the same layout in one device allocation, plus device
/// buffers for a call's inputs, labels and outputs. Parameters move to the
/// device before a call when the host changed them, and back to the host
/// before the host reads them after a step: each side knows when it is
/// stale. Nothing is allocated on the device after creation.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_CUDA_DEVICEMODEL_H
#define HEBB_RUNTIME_CUDA_DEVICEMODEL_H

#include "../ModelContext.h"

#include <cstdint>
#include <vector>

namespace hebb::cuda {

struct DeviceModel {
  /// Pointers are device addresses; the same layout as the host context.
  hebb_model mirror;
  uint64_t block = 0;
  std::vector<void *> inputs, outputs;
  void *labels = nullptr;
  bool deviceStale = true, hostStale = false;
};

/// Places `ctx`'s layout (sized by `layout`, base 0) on the device.
hebb_status attach(hebb_model *ctx, size_t (*layout)(hebb_model *, uintptr_t));
void detach(hebb_model *ctx);

/// Parameters and optimizer state to the device if the host changed them.
hebb_status upload(hebb_model *ctx);
/// Parameters and state to the host if a step changed them.
hebb_status download(hebb_model *ctx);

hebb_status copyIn(void *device, const void *host, size_t bytes);
hebb_status copyOut(void *host, const void *device, size_t bytes);

/// Makes the context current for an entry's launches.
hebb_status begin();
/// After `entry` of `model`: the first failed launch, if any (a step that
/// succeeds allocates nothing here).
hebb_status finish(const std::string &model, const char *entry);

} // namespace hebb::cuda

#endif // HEBB_RUNTIME_CUDA_DEVICEMODEL_H
