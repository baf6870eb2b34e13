//===- Files.cpp - reading and writing files safely -----------------------===//
//
// Every file hebb reads or writes goes through here.
//
// Reading: only regular files (a FIFO, /dev/zero or a directory is refused
// before anything is read, so nothing blocks or grows without end), at most
// `limit` bytes, checked against the file's size first.
//
// Writing: a regular file (or a symbolic link to one: the link stays and
// its target is replaced) is written to a fresh temporary file in the same
// directory, created with O_EXCL (mkstemp: a name an attacker placed there
// is never followed), synced, given the old file's mode, and renamed over
// the target: readers see the old or the new bytes, never a torn file;
// programs that call removeTemporariesOnSignals() remove the temporary when
// SIGINT, SIGTERM or SIGHUP ends them mid-write. A device or FIFO (/dev/null,
// /dev/stdout) is written through, not replaced.
//
//===----------------------------------------------------------------------===//

#include "Status.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hebb::rt {

namespace {
std::string why() { return std::strerror(errno); }

bool writeAll(int fd, const std::string &bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += (size_t)n;
  }
  return true;
}

/// Where the bytes of `path` really go: the target of a symbolic link.
hebb_status resolve(const std::string &path, std::string &target,
                    struct stat &st, bool &exists) {
  target = path;
  exists = ::stat(path.c_str(), &st) == 0;
  struct stat lst;
  if (::lstat(path.c_str(), &lst) != 0 || !S_ISLNK(lst.st_mode) ||
      (exists && !S_ISREG(st.st_mode)))
    return HEBB_OK; // not a link, or one to a device: written through
  char *real = ::realpath(path.c_str(), nullptr);
  if (!real)
    return fail(HEBB_ERR_IO, path +
                                 ": cannot write: a symbolic link to "
                                 "nowhere (" +
                                 why() + ")");
  target = real;
  std::free(real);
  return HEBB_OK;
}

/// The temporary file being written, for the signal handler to remove.
char pendingTemp[PATH_MAX];
volatile sig_atomic_t pending = 0;

void removePendingAndDie(int sig) {
  if (pending)
    ::unlink(pendingTemp);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

/// Marks `tmp` as the file a fatal signal must remove, while it lives.
class PendingTemp {
public:
  explicit PendingTemp(const std::string &tmp) {
    if (tmp.size() < sizeof pendingTemp) {
      std::memcpy(pendingTemp, tmp.c_str(), tmp.size() + 1);
      pending = 1;
    }
  }
  ~PendingTemp() { pending = 0; }
};

hebb_status writeThrough(const std::string &path, const std::string &bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(HEBB_ERR_IO, path + ": cannot write: " + why());
  bool ok = writeAll(fd, bytes);
  std::string reason = why();
  ::close(fd);
  return ok ? HEBB_OK : fail(HEBB_ERR_IO, path + ": cannot write: " + reason);
}
} // namespace

int64_t memoryLimit() {
  long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? (int64_t)pages * page / 2 : INT64_MAX;
}

hebb_status readFile(const std::string &path, std::string &bytes,
                     int64_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return fail(HEBB_ERR_IO, path + ": cannot open: " + why());
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(HEBB_ERR_IO, path + ": not a regular file");
  }
  if (st.st_size > limit || st.st_size > memoryLimit()) {
    ::close(fd);
    return fail(HEBB_ERR_FORMAT,
                path + ": file larger than " +
                    std::to_string(std::min(limit, memoryLimit())) +
                    " bytes (the format's limit or half this machine's "
                    "memory)");
  }
  try {
    bytes.resize((size_t)st.st_size);
  } catch (const std::bad_alloc &) {
    ::close(fd);
    return fail(HEBB_ERR_NO_MEMORY, path + ": cannot hold its " +
                                        std::to_string(st.st_size) +
                                        " bytes in memory");
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::read(fd, &bytes[done], bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += (size_t)n;
  }
  ::close(fd);
  if (done != bytes.size())
    return fail(HEBB_ERR_IO, path + ": read error (file changed?)");
  return HEBB_OK;
}

hebb_status writeFileAtomically(const std::string &path,
                                const std::string &bytes) {
  std::string target;
  struct stat st;
  bool exists;
  if (hebb_status s = resolve(path, target, st, exists))
    return s;
  if (exists && S_ISDIR(st.st_mode))
    return fail(HEBB_ERR_IO, path + ": cannot write: it is a directory");
  if (exists && !S_ISREG(st.st_mode))
    return writeThrough(path, bytes);
  std::string tmp = target + ".tmp.XXXXXX";
  int fd = ::mkstemp(&tmp[0]);
  if (fd < 0)
    return fail(HEBB_ERR_IO, path + ": cannot write: " + why());
  PendingTemp pendingTemp(tmp);
  mode_t mode = 0666;
  if (exists) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  bool ok = ::fchmod(fd, mode) == 0 && writeAll(fd, bytes) && ::fsync(fd) == 0;
  std::string reason = why();
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), target.c_str()) != 0) {
    if (ok)
      reason = why();
    ::unlink(tmp.c_str());
    return fail(HEBB_ERR_IO, path + ": cannot write: " + reason);
  }
  return HEBB_OK;
}

void removeTemporariesOnSignals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction action {};
    action.sa_handler = removePendingAndDie;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
}

} // namespace hebb::rt

using namespace hebb::rt;

extern "C" hebb_status hebb_check_writable(const char *path) {
  if (!path || !*path)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "an output path is empty");
  std::string p = path, target;
  struct stat st;
  bool exists;
  if (hebb_status s = resolve(p, target, st, exists))
    return s;
  if (exists && S_ISDIR(st.st_mode))
    return fail(HEBB_ERR_IO, p + ": cannot write: it is a directory");
  if (exists && !S_ISREG(st.st_mode))
    return ::access(target.c_str(), W_OK) == 0
               ? HEBB_OK
               : fail(HEBB_ERR_IO, p + ": cannot write: " + why());
  size_t slash = target.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : target.substr(0, slash);
  if (dir.empty())
    dir = "/";
  struct stat ds;
  if (::stat(dir.c_str(), &ds) != 0 || !S_ISDIR(ds.st_mode))
    return fail(HEBB_ERR_IO, p + ": cannot write: no directory '" + dir + "'");
  if (::access(dir.c_str(), W_OK) != 0)
    return fail(HEBB_ERR_IO, p + ": cannot write: " + why());
  return HEBB_OK;
}
