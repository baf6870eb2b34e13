//===- DeviceModel.cpp - a context's tensors on a CUDA device -------------===//

#include "DeviceModel.h"
#include "Driver.h"
#include "Launch.h"

#include "../Status.h"

#include <cstdlib>

namespace hebb::cuda {

namespace {

void *address(uint64_t p) { return reinterpret_cast<void *>(p); }
uint64_t device(const void *p) { return reinterpret_cast<uint64_t>(p); }

/// Host and device copies of the current parameters and state.
template <typename F> hebb_status eachTensor(hebb_model *ctx, F copy) {
  DeviceModel &d = *ctx->device;
  for (size_t i = 0; i < ctx->params.size(); ++i)
    if (hebb_status s =
            copy(ctx->params[i], d.mirror.params[i], ctx->m.params[i].bytes()))
      return s;
  for (size_t i = 0; i < ctx->state.size(); ++i)
    if (hebb_status s =
            copy(ctx->state[i], d.mirror.state[i], ctx->paramOf(i).bytes()))
      return s;
  return HEBB_OK;
}

} // namespace

hebb_status attach(hebb_model *ctx, size_t (*layout)(hebb_model *, uintptr_t)) {
  std::string error;
  const Api *api = driver(error);
  if (!api)
    return rt::fail(HEBB_ERR_DEVICE, error);
  auto *d = new (std::nothrow) DeviceModel();
  if (!d)
    return rt::fail(HEBB_ERR_NO_MEMORY, "out of memory");
  d->mirror.desc = ctx->desc;
  d->mirror.m = ctx->m;
  size_t bytes = layout(&d->mirror, 0);
  for (const auto &t : ctx->m.inputs)
    bytes += (t.bytes() + 255) / 256 * 256;
  for (const auto &t : ctx->m.outputs)
    bytes += (t.bytes() + 255) / 256 * 256;
  if (ctx->m.trainable)
    bytes += (ctx->m.training.labels.bytes() + 255) / 256 * 256;
  CUstream stream = nullptr;
  if (CUresult r = api->cuStreamCreate(&stream, /*NON_BLOCKING=*/1)) {
    delete d;
    return fail("cuStreamCreate", r);
  }
  d->stream = stream;
  if (CUresult r = api->cuMemAlloc(&d->block, bytes)) {
    api->cuStreamDestroy(stream);
    delete d;
    return fail("cuMemAlloc", r);
  }
  size_t used = layout(&d->mirror, d->block);
  auto take = [&](size_t n) {
    void *p = address(d->block + used);
    used += (n + 255) / 256 * 256;
    return p;
  };
  for (const auto &t : ctx->m.inputs)
    d->inputs.push_back(take(t.bytes()));
  for (const auto &t : ctx->m.outputs)
    d->outputs.push_back(take(t.bytes()));
  if (ctx->m.trainable)
    d->labels = take(ctx->m.training.labels.bytes());
  ctx->device = d;
  return HEBB_OK;
}

void detach(hebb_model *ctx) {
  if (!ctx->device)
    return;
  if (const Api *api = loaded()) {
    api->cuStreamSynchronize(static_cast<CUstream>(ctx->device->stream));
    for (auto &entry : ctx->device->replays)
      if (entry.second.exec)
        api->cuGraphExecDestroy(static_cast<CUgraphExec>(entry.second.exec));
    api->cuStreamDestroy(static_cast<CUstream>(ctx->device->stream));
    api->cuMemFree(ctx->device->block);
  }
  delete ctx->device;
  ctx->device = nullptr;
}

namespace {
CUstream streamOf(hebb_model *ctx) {
  return static_cast<CUstream>(ctx->device->stream);
}
} // namespace

hebb_status copyIn(hebb_model *ctx, void *dst, const void *src, size_t bytes) {
  // From pageable memory the copy is staged: `src` may change on return.
  if (CUresult r =
          loaded()->cuMemcpyHtoDAsync(device(dst), src, bytes, streamOf(ctx)))
    return fail("cuMemcpyHtoD", r);
  return HEBB_OK;
}

hebb_status copyOut(hebb_model *ctx, void *dst, const void *src, size_t bytes) {
  const Api *api = loaded();
  if (CUresult r =
          api->cuMemcpyDtoHAsync(dst, device(src), bytes, streamOf(ctx)))
    return fail("cuMemcpyDtoH", r);
  if (CUresult r = api->cuStreamSynchronize(streamOf(ctx)))
    return fail("cuStreamSynchronize", r);
  return HEBB_OK;
}

void run(hebb_model *ctx, hebb_entry entry, void **args) {
  DeviceModel &d = *ctx->device;
  static const bool graphs = [] {
    const char *env = std::getenv("HEBB_CUDA_GRAPHS");
    return !(env && env[0] == '0') && !profiling();
  }();
  const void *copy = d.mirror.params.empty() ? nullptr : d.mirror.params[0];
  Replay &replay = d.replays[{reinterpret_cast<const void *>(entry), copy}];
  const Api *api = loaded();
  CUstream stream = streamOf(ctx);
  if (!graphs || replay.unusable || ++replay.calls == 1) {
    entry(args);
    return;
  }
  if (!replay.exec) {
    // Relaxed capture: the first launches of a kernel load its module.
    CUgraph graph = nullptr;
    CUgraphExec exec = nullptr;
    bool ok = !api->cuStreamBeginCapture(stream, /*RELAXED=*/2);
    if (ok)
      entry(args);
    ok = !api->cuStreamEndCapture(stream, &graph) && ok && graph &&
         takeLaunchErrorIfAny().empty() &&
         !api->cuGraphInstantiateWithFlags(&exec, graph, 0);
    if (graph)
      api->cuGraphDestroy(graph);
    if (!ok) {
      // Not replayable: run it directly from now on.
      replay.unusable = true;
      entry(args);
      return;
    }
    replay.exec = exec;
  }
  if (CUresult r =
          api->cuGraphLaunch(static_cast<CUgraphExec>(replay.exec), stream))
    recordLaunchError(describe("cuGraphLaunch", r));
}

hebb_status upload(hebb_model *ctx) {
  if (hebb_status s = begin(ctx))
    return s;
  DeviceModel &d = *ctx->device;
  if (!d.deviceStale)
    return HEBB_OK;
  if (hebb_status s = eachTensor(ctx, [ctx](void *host, void *dev, size_t n) {
        return copyIn(ctx, dev, host, n);
      }))
    return s;
  d.deviceStale = false;
  return HEBB_OK;
}

hebb_status download(hebb_model *ctx) {
  DeviceModel *d = ctx->device;
  if (!d || !d->hostStale)
    return HEBB_OK;
  if (hebb_status s = begin(ctx))
    return s;
  if (hebb_status s = eachTensor(ctx, [ctx](void *host, void *dev, size_t n) {
        return copyOut(ctx, host, dev, n);
      }))
    return s;
  d->hostStale = false;
  return HEBB_OK;
}

hebb_status begin(hebb_model *ctx) {
  std::string error;
  if (!makeCurrent(error))
    return rt::fail(HEBB_ERR_DEVICE, error);
  setLaunchStream(ctx->device->stream);
  takeLaunchError();
  return HEBB_OK;
}

hebb_status finish(hebb_model *ctx, const char *entry) {
  const std::string &model = ctx->m.name;
  std::string error = takeLaunchError();
  if (error.empty())
    if (CUresult r = loaded()->cuStreamSynchronize(
            static_cast<CUstream>(ctx->device->stream)))
      error = describe("cuStreamSynchronize", r);
  if (!error.empty())
    return rt::fail(HEBB_ERR_DEVICE, model + ": " + entry + ": " + error);
  return HEBB_OK;
}

} // namespace hebb::cuda
