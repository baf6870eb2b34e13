//===- Driver.h - the CUDA driver API, loaded at run time -------*- C++ -*-===//
//
/// \file
/// Internal to libhebbrt. libcuda.so.1 is opened with dlopen() the first
/// time a GPU model is created, never linked: a machine without a GPU has
/// no driver (only the toolkit's stub), and CPU models never touch this.
/// The few driver types are declared here, so building libhebbrt needs no
/// CUDA toolkit.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_CUDA_DRIVER_H
#define HEBB_RUNTIME_CUDA_DRIVER_H

#include "hebb/runtime.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace hebb::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = uint64_t;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUgraph = struct CUgraph_st *;
using CUgraphExec = struct CUgraphExec_st *;

/// The driver entry points hebb uses (the _v2 ABI where there is one).
struct Api {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr, const void *, size_t, CUstream);
  CUresult (*cuMemcpyDtoHAsync)(void *, CUdeviceptr, size_t, CUstream);
  CUresult (*cuStreamBeginCapture)(CUstream, int);
  CUresult (*cuStreamEndCapture)(CUstream, CUgraph *);
  CUresult (*cuGraphInstantiateWithFlags)(CUgraphExec *, CUgraph,
                                          unsigned long long);
  CUresult (*cuGraphLaunch)(CUgraphExec, CUstream);
  CUresult (*cuGraphDestroy)(CUgraph);
  CUresult (*cuGraphExecDestroy)(CUgraphExec);
};

/// The driver, loaded and initialised once per process with device 0's
/// primary context current on the calling thread; null with `error` set
/// ("no CUDA driver: libcuda.so.1 not found", "no CUDA device", ...).
const Api *driver(std::string &error);

/// The driver once driver() succeeded, else null (no initialisation here:
/// what the launches of a running entry call).
const Api *loaded();

/// Makes the context current on this thread (a model may be used from
/// several threads, one at a time).
bool makeCurrent(std::string &error);

/// "cuX failed: <driver message>" for a failed call.
std::string describe(const char *call, CUresult result);

/// Records `call`'s failure as the thread's last error.
hebb_status fail(const char *call, CUresult result);

} // namespace hebb::cuda

#endif // HEBB_RUNTIME_CUDA_DRIVER_H
