//===- DeviceModel.h - a context's tensors on a CUDA device -----*- C++ -*-===//
//
/// \file
/// Internal to libhebbrt. A context of a GPU model keeps its host layout
/// (initialisation, checkpoints and parameter views work on it unchanged)
/// and a mirror: the same layout in one device allocation, plus device
/// buffers for a call's inputs, labels and outputs. Parameters move to the
/// device before a call when the host changed them, and back to the host
/// before the host reads them after a step: each side knows when it is
/// stale. hebb allocates nothing on the device after creation; an entry's
/// second call records its launches as a CUDA graph, replayed from then on
/// (one cuGraphLaunch instead of a launch per kernel).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_CUDA_DEVICEMODEL_H
#define HEBB_RUNTIME_CUDA_DEVICEMODEL_H

#include "../ModelContext.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace hebb::cuda {

/// An entry's launches recorded once and replayed (a CUDA graph).
struct Replay {
  int calls = 0;
  void *exec = nullptr; ///< CUgraphExec, once captured
  bool unusable = false;
};

struct DeviceModel {
  /// Pointers are device addresses; the same layout as the host context.
  hebb_model mirror;
  uint64_t block = 0;
  std::vector<void *> inputs, outputs;
  void *labels = nullptr;
  bool deviceStale = true, hostStale = false;
  /// The model's stream: its copies and launches, in order.
  void *stream = nullptr;
  /// Per entry and parameter copy (the step swaps two): arguments never
  /// change between calls, so the second call records the launches and
  /// every later one replays them (HEBB_CUDA_GRAPHS=0: never).
  std::map<std::pair<const void *, const void *>, Replay> replays;
};

/// Runs `entry` of `ctx` on `args` (device pointers) on the model's
/// stream: directly the first time, then as a recorded graph.
void run(hebb_model *ctx, hebb_entry entry, void **args);

/// Places `ctx`'s layout (sized by `layout`, base 0) on the device.
hebb_status attach(hebb_model *ctx, size_t (*layout)(hebb_model *, uintptr_t));
void detach(hebb_model *ctx);

/// Parameters and optimizer state to the device if the host changed them.
hebb_status upload(hebb_model *ctx);
/// Parameters and state to the host if a step changed them.
hebb_status download(hebb_model *ctx);

/// Copies on the model's stream; copyOut waits for it.
hebb_status copyIn(hebb_model *ctx, void *device, const void *host,
                   size_t bytes);
hebb_status copyOut(hebb_model *ctx, void *host, const void *device,
                    size_t bytes);

/// Makes the context current and the model's stream this thread's.
hebb_status begin(hebb_model *ctx);
/// After `entry` of `model`: the first failed launch, if any (a step that
/// succeeds allocates nothing here).
hebb_status finish(hebb_model *ctx, const char *entry);

} // namespace hebb::cuda

#endif // HEBB_RUNTIME_CUDA_DEVICEMODEL_H
