//===- Status.cpp - runtime errors, sizes and atomic writes ---------------===//

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

hebb_status readFile(const std::string &path, std::string &bytes,
                     int64_t limit) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return fail(HEBB_ERR_IO, path + ": cannot open: " + std::strerror(errno));
  bytes.clear();
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if ((int64_t)(bytes.size() + n) > limit) {
      std::fclose(f);
      return fail(HEBB_ERR_FORMAT, path + ": file larger than " +
                                       std::to_string(limit) + " bytes");
    }
    bytes.append(buf, n);
  }
  bool err = std::ferror(f);
  std::fclose(f);
  if (err)
    return fail(HEBB_ERR_IO, path + ": read error");
  return HEBB_OK;
}

hebb_status writeFileAtomically(const std::string &path,
                                const std::string &bytes) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  FILE *f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    return fail(HEBB_ERR_IO, path + ": cannot write: " + std::strerror(errno));
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fflush(f) == 0 && ok;
  ok = fsync(fileno(f)) == 0 && ok;
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return fail(HEBB_ERR_IO, path + ": cannot write: " + why);
  }
  return HEBB_OK;
}

} // namespace hebb::rt

using namespace hebb::rt;

extern "C" hebb_status hebb_check_writable(const char *path) {
  if (!path || !*path)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "an output path is empty");
  std::string p = path;
  size_t slash = p.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : p.substr(0, slash);
  if (dir.empty())
    dir = "/";
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return fail(HEBB_ERR_IO, p + ": cannot write: no directory '" + dir + "'");
  if (::access(dir.c_str(), W_OK) != 0)
    return fail(HEBB_ERR_IO, p + ": cannot write: " + std::strerror(errno));
  if (::stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return fail(HEBB_ERR_IO, p + ": cannot write: it is a directory");
  return HEBB_OK;
}

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
  }
  return "unknown status";
}
