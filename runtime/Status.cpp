//===- Status.cpp - runtime errors and sizes -----------------------------===//

#include "Status.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace hebb::rt {

static thread_local std::string lastError;

hebb_status fail(hebb_status status, const std::string &message) {
  lastError = message;
  return status;
}

bool checkedNumel(int32_t rank, const int64_t *shape, int64_t limit,
                  int64_t &numel) {
  numel = 1;
  for (int32_t i = 0; i < rank; ++i) {
    if (shape[i] < 0)
      return false;
    if (shape[i] != 0 && numel > limit / shape[i])
      return false;
    numel *= shape[i];
  }
  return numel <= limit;
}

} // namespace hebb::rt

using namespace hebb::rt;

extern "C" const char *hebb_last_error(void) { return lastError.c_str(); }

extern "C" const char *hebb_status_name(hebb_status status) {
  switch (status) {
  case HEBB_OK:
    return "ok";
  case HEBB_ERR_IO:
    return "io error";
  case HEBB_ERR_FORMAT:
    return "format error";
  case HEBB_ERR_SHAPE:
    return "shape error";
  case HEBB_ERR_DTYPE:
    return "dtype error";
  case HEBB_ERR_NOT_FOUND:
    return "not found";
  case HEBB_ERR_NO_MEMORY:
    return "out of memory";
  case HEBB_ERR_INVALID_ARGUMENT:
    return "invalid argument";
  case HEBB_ERR_DEVICE:
    return "device error";
  }
  return "unknown status";
}
