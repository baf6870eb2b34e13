//===- Launch.h - what compiled GPU entries call ----------------*- C++ -*-===//
//
/// \file
/// Internal to libhebbrt. The host code of a GPU model calls
///   hebb_cuda_launch(ptx, name, grid x/y/z, block x/y/z, slots, count)
/// (hebb-lower-launches): a PTX text (NUL-terminated, in the model's
/// object) is loaded once, a kernel looked up once (both keyed by
/// address), and its parameters are the 64-bit slots. Every launch goes to
/// the calling model's stream, so a step's kernels and copies run in
/// program order and nothing waits until results are copied back. A failed
/// launch is recorded (the entry returns void) and the later ones of the
/// call are skipped. With HEBB_CUDA_PROFILE set, each launch waits for its
/// kernel and the times per kernel are printed at exit.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_CUDA_LAUNCH_H
#define HEBB_RUNTIME_CUDA_LAUNCH_H

#include <string>

namespace hebb::cuda {

/// The first failure of the launches since the last call on this thread
/// (empty if none), cleared.
std::string takeLaunchError();

/// takeLaunchError, when there is one (a call that allocates nothing
/// otherwise).
std::string takeLaunchErrorIfAny();

/// Records `message` as this thread's launch error (the first one stays).
void recordLaunchError(const std::string &message);

/// The stream this thread's launches go to (a model's, set around its
/// calls; null: the default stream).
void setLaunchStream(void *stream);

/// Whether launches wait for their kernels and are timed
/// (HEBB_CUDA_PROFILE): graphs are then not used.
bool profiling();

} // namespace hebb::cuda

#endif // HEBB_RUNTIME_CUDA_LAUNCH_H
