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

/// Reads all of `path` into `bytes` (at most `limit` bytes).
hebb_status readFile(const std::string &path, std::string &bytes,
                     int64_t limit);

/// Writes `bytes` to `path` through a temporary file renamed into place.
hebb_status writeFileAtomically(const std::string &path,
                                const std::string &bytes);

} // namespace hebb::rt

#endif // HEBB_RUNTIME_STATUS_H
