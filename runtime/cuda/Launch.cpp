//===- Launch.cpp - what compiled GPU entries call ------------------------===//

#include "Launch.h"
#include "Driver.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

using namespace hebb::cuda;

namespace {

std::mutex mutex;
std::map<const void *, CUmodule> modules;
std::map<std::pair<const void *, const void *>, CUfunction> functions;
thread_local std::string launchError;
thread_local CUstream launchStream = nullptr;

void record(const std::string &message) {
  if (launchError.empty())
    launchError = message;
}

/// HEBB_CUDA_PROFILE=1: every launch waits for its kernel; the time from
/// the launch to its end (launch overhead included) is summed per kernel
/// and printed at exit, largest first.
struct Profile {
  bool on = std::getenv("HEBB_CUDA_PROFILE") != nullptr;
  std::map<std::string, std::pair<int64_t, double>> kernels;
  ~Profile() {
    if (!on || kernels.empty())
      return;
    std::vector<std::pair<std::string, std::pair<int64_t, double>>> rows(
        kernels.begin(), kernels.end());
    std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
      return a.second.second > b.second.second;
    });
    double total = 0;
    for (auto &r : rows)
      total += r.second.second;
    std::fprintf(stderr, "%-44s %8s %10s %10s\n", "kernel", "launches",
                 "total ms", "us each");
    for (auto &[name, v] : rows)
      std::fprintf(stderr, "%-44s %8lld %10.2f %10.1f\n", name.c_str(),
                   (long long)v.first, v.second * 1e3,
                   v.second / v.first * 1e6);
    std::fprintf(stderr, "%-44s %8s %10.2f\n", "all", "", total * 1e3);
  }
};
Profile profile;

} // namespace

namespace hebb::cuda {

std::string takeLaunchError() { return std::exchange(launchError, {}); }

std::string takeLaunchErrorIfAny() {
  return launchError.empty() ? std::string() : takeLaunchError();
}

void recordLaunchError(const std::string &message) { record(message); }

void setLaunchStream(void *stream) {
  launchStream = static_cast<CUstream>(stream);
}

bool profiling() { return profile.on; }

} // namespace hebb::cuda

namespace {

/// The module of a PTX text, loaded (and JIT-compiled by the driver) the
/// first time one of its kernels runs.
CUmodule moduleOf(const Api *api, const char *ptx) {
  auto it = modules.find(ptx);
  if (it != modules.end())
    return it->second;
  CUmodule module = nullptr;
  char log[4096] = {0};
  int options[] = {/*CU_JIT_ERROR_LOG_BUFFER=*/5,
                   /*CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES=*/6};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log))};
  if (CUresult r = api->cuModuleLoadDataEx(&module, ptx, 2, options, values)) {
    record(describe("cuModuleLoadData", r) + (log[0] ? ": " : "") + log);
    return nullptr;
  }
  modules[ptx] = module;
  return module;
}

CUfunction functionOf(const Api *api, const char *ptx, const char *name) {
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_pair(static_cast<const void *>(ptx),
                            static_cast<const void *>(name));
  auto it = functions.find(key);
  if (it != functions.end())
    return it->second;
  CUmodule module = moduleOf(api, ptx);
  if (!module)
    return nullptr;
  CUfunction fn = nullptr;
  if (CUresult r = api->cuModuleGetFunction(&fn, module, name)) {
    record(describe("cuModuleGetFunction", r) + " (" + name + ")");
    return nullptr;
  }
  functions[key] = fn;
  return fn;
}

} // namespace

extern "C" void hebb_cuda_launch(const char *ptx, const char *name,
                                 int64_t gridX, int64_t gridY, int64_t gridZ,
                                 int64_t blockX, int64_t blockY, int64_t blockZ,
                                 int64_t *slots, int64_t count) {
  const Api *api = loaded();
  if (!api) {
    record("no CUDA driver: libcuda.so.1 not found");
    return;
  }
  if (!launchError.empty())
    return;
  CUfunction fn = functionOf(api, ptx, name);
  if (!fn)
    return;
  void *params[256];
  if (count > 256) {
    record(std::string(name) + ": more than 256 kernel parameters");
    return;
  }
  for (int64_t i = 0; i < count; ++i)
    params[i] = &slots[i];
  auto start = std::chrono::steady_clock::now();
  if (CUresult r = api->cuLaunchKernel(fn, (unsigned)gridX, (unsigned)gridY,
                                       (unsigned)gridZ, (unsigned)blockX,
                                       (unsigned)blockY, (unsigned)blockZ, 0,
                                       launchStream, params, nullptr))
    record(describe("cuLaunchKernel", r) + " (" + name + ")");
  if (profile.on) {
    api->cuStreamSynchronize(launchStream);
    auto &entry = profile.kernels[name];
    ++entry.first;
    entry.second +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
  }
}
