//===- Status.h - recording runtime errors ----------------------*- C++ -*-===//
//
/// \file
/// Internal helper: set the thread's last error and return its status.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_STATUS_H
#define HEBB_RUNTIME_STATUS_H

#include "hebb/runtime.h"

#include <string>

namespace hebb::rt {

/// Records `message` as the last error of this thread and returns `status`.
hebb_status fail(hebb_status status, const std::string &message);

/// Checked product of dims; false on a negative dim or overflow past `limit`.
bool checkedNumel(int32_t rank, const int64_t *shape, int64_t limit,
                  int64_t &numel);

/// The most bytes one file may take in memory: half of this machine's
/// physical memory (allocating more would fail or swap).
int64_t memoryLimit();

/// Reads all of the regular file `path` into `bytes`: at most `limit`
/// bytes, and at most memoryLimit().
hebb_status readFile(const std::string &path, std::string &bytes,
                     int64_t limit);

/// A .npy file's bytes (read from `name`, for messages) as a tensor.
hebb_status parseNpy(const std::string &name, const std::string &bytes,
                     hebb_tensor *out);

/// Installs handlers so that SIGINT, SIGTERM and SIGHUP arriving while a
/// file is written remove its temporary before the process ends (programs
/// call it; a library does not take signals over).
void removeTemporariesOnSignals();

/// Writes `bytes` to `path` through a temporary file renamed into place.
hebb_status writeFileAtomically(const std::string &path,
                                const std::string &bytes);

} // namespace hebb::rt

#endif // HEBB_RUNTIME_STATUS_H
