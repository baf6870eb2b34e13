//===- DeviceModel.cpp - a context's tensors on a CUDA device -------------===//

#include "DeviceModel.h"
#include "Driver.h"
#include "Launch.h"

#include "../Status.h"

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
  if (CUresult r = api->cuMemAlloc(&d->block, bytes)) {
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
  if (const Api *api = loaded())
    api->cuMemFree(ctx->device->block);
  delete ctx->device;
  ctx->device = nullptr;
}

hebb_status copyIn(void *dst, const void *src, size_t bytes) {
  if (CUresult r = loaded()->cuMemcpyHtoD(device(dst), src, bytes))
    return fail("cuMemcpyHtoD", r);
  return HEBB_OK;
}

hebb_status copyOut(void *dst, const void *src, size_t bytes) {
  if (CUresult r = loaded()->cuMemcpyDtoH(dst, device(src), bytes))
    return fail("cuMemcpyDtoH", r);
  return HEBB_OK;
}

hebb_status upload(hebb_model *ctx) {
  if (hebb_status s = begin())
    return s;
  DeviceModel &d = *ctx->device;
  if (!d.deviceStale)
    return HEBB_OK;
  if (hebb_status s = eachTensor(ctx, [](void *host, void *dev, size_t n) {
        return copyIn(dev, host, n);
      }))
    return s;
  d.deviceStale = false;
  return HEBB_OK;
}

hebb_status download(hebb_model *ctx) {
  DeviceModel *d = ctx->device;
  if (!d || !d->hostStale)
    return HEBB_OK;
  if (hebb_status s = begin())
    return s;
  if (hebb_status s = eachTensor(ctx, [](void *host, void *dev, size_t n) {
        return copyOut(host, dev, n);
      }))
    return s;
  d->hostStale = false;
  return HEBB_OK;
}

hebb_status begin() {
  std::string error;
  if (!makeCurrent(error))
    return rt::fail(HEBB_ERR_DEVICE, error);
  takeLaunchError();
  return HEBB_OK;
}

hebb_status finish(const std::string &model, const char *entry) {
  std::string error = takeLaunchError();
  if (error.empty())
    if (CUresult r = loaded()->cuCtxSynchronize())
      error = describe("cuCtxSynchronize", r);
  if (!error.empty())
    return rt::fail(HEBB_ERR_DEVICE, model + ": " + entry + ": " + error);
  return HEBB_OK;
}

} // namespace hebb::cuda
