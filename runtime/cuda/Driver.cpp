//===- Driver.cpp - the CUDA driver API, loaded at run time ---------------===//

#include "Driver.h"

#include "../Status.h"

#include <dlfcn.h>
#include <mutex>

namespace hebb::cuda {

namespace {

Api api;
CUcontext context = nullptr;
std::string loadError;

template <typename F> bool symbol(void *lib, F &fn, const char *name) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (!fn)
    loadError = std::string("CUDA driver without ") + name;
  return fn != nullptr;
}

bool load() {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    loadError = "no CUDA driver: libcuda.so.1 not found";
    return false;
  }
  if (!(symbol(lib, api.cuInit, "cuInit") &&
        symbol(lib, api.cuDeviceGetCount, "cuDeviceGetCount") &&
        symbol(lib, api.cuDeviceGet, "cuDeviceGet") &&
        symbol(lib, api.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain") &&
        symbol(lib, api.cuCtxSetCurrent, "cuCtxSetCurrent") &&
        symbol(lib, api.cuMemAlloc, "cuMemAlloc_v2") &&
        symbol(lib, api.cuMemFree, "cuMemFree_v2") &&
        symbol(lib, api.cuModuleLoadDataEx, "cuModuleLoadDataEx") &&
        symbol(lib, api.cuModuleUnload, "cuModuleUnload") &&
        symbol(lib, api.cuModuleGetFunction, "cuModuleGetFunction") &&
        symbol(lib, api.cuLaunchKernel, "cuLaunchKernel") &&
        symbol(lib, api.cuGetErrorString, "cuGetErrorString") &&
        symbol(lib, api.cuStreamCreate, "cuStreamCreate") &&
        symbol(lib, api.cuStreamDestroy, "cuStreamDestroy_v2") &&
        symbol(lib, api.cuStreamSynchronize, "cuStreamSynchronize") &&
        symbol(lib, api.cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2") &&
        symbol(lib, api.cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2") &&
        symbol(lib, api.cuStreamBeginCapture, "cuStreamBeginCapture_v2") &&
        symbol(lib, api.cuStreamEndCapture, "cuStreamEndCapture") &&
        symbol(lib, api.cuGraphInstantiateWithFlags,
               "cuGraphInstantiateWithFlags") &&
        symbol(lib, api.cuGraphLaunch, "cuGraphLaunch") &&
        symbol(lib, api.cuGraphDestroy, "cuGraphDestroy") &&
        symbol(lib, api.cuGraphExecDestroy, "cuGraphExecDestroy")))
    return false;
  if (CUresult r = api.cuInit(0)) {
    loadError = r == 100 ? "no CUDA device" : describe("cuInit", r);
    return false;
  }
  int count = 0;
  if (api.cuDeviceGetCount(&count) || count == 0) {
    loadError = "no CUDA device";
    return false;
  }
  CUdevice device;
  if (CUresult r = api.cuDeviceGet(&device, 0)) {
    loadError = describe("cuDeviceGet", r);
    return false;
  }
  if (CUresult r = api.cuDevicePrimaryCtxRetain(&context, device)) {
    loadError = describe("cuDevicePrimaryCtxRetain", r);
    return false;
  }
  return true;
}

} // namespace

std::string describe(const char *call, CUresult result) {
  const char *text = nullptr;
  if (api.cuGetErrorString)
    api.cuGetErrorString(result, &text);
  return std::string(call) +
         " failed: " + (text ? text : "CUDA error " + std::to_string(result));
}

hebb_status fail(const char *call, CUresult result) {
  return rt::fail(HEBB_ERR_DEVICE, describe(call, result));
}

bool isLoaded = false;

const Api *loaded() { return isLoaded ? &api : nullptr; }

const Api *driver(std::string &error) {
  static std::once_flag once;
  std::call_once(once, [] { isLoaded = load(); });
  if (!isLoaded) {
    error = loadError;
    return nullptr;
  }
  return makeCurrent(error) ? &api : nullptr;
}

bool makeCurrent(std::string &error) {
  if (CUresult r = api.cuCtxSetCurrent(context)) {
    error = describe("cuCtxSetCurrent", r);
    return false;
  }
  return true;
}

} // namespace hebb::cuda
