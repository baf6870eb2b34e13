//===- Files.cpp - reading and writing files safely -----------------------===//
//
// Every file hebb reads or writes goes through here.
//
// Reading: only regular files (a FIFO, /dev/zero or a directory is refused
// before anything is read, so nothing blocks or grows without end), at most
// `limit` bytes, checked against the file's size first.
//
// Writing: a regular file (or a symbolic link to one: the link stays and
// its target is replaced) is written to an unnamed file in the same
// directory (O_TMPFILE: a kill -9 mid-write leaves nothing), synced, given
// the old file's mode, linked under a fresh random name (linkat never
// follows or replaces a name an attacker placed there) and renamed over the
// target: readers see the old or the new bytes, never a torn file. Where
// there are no unnamed files, the temporary is named from the start
// (mkstemp, O_EXCL). Programs that call removeTemporariesOnSignals() remove
// a named temporary when SIGINT, SIGTERM or SIGHUP ends them. A device or FIFO
// (/dev/null, /dev/stdout) is written through, not replaced.
//
//===----------------------------------------------------------------------===//

#include "Status.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <new>
#include <signal.h>
#include <sys/random.h>
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
  void set(const std::string &tmp) {
    pending = 0;
    if (tmp.size() < sizeof pendingTemp) {
      std::memcpy(pendingTemp, tmp.c_str(), tmp.size() + 1);
      pending = 1;
    }
  }
  ~PendingTemp() { pending = 0; }
};

/// The directory `path` is in ("." or a prefix ending in '/').
std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash + 1);
}

/// An unnamed file in the directory of `target` (O_TMPFILE): a kill -9
/// while it is written leaves nothing behind. -1 where the file system or
/// kernel has no unnamed files.
int openUnnamed(const std::string &target, mode_t mode) {
#ifdef O_TMPFILE
  if (::access("/proc/self/fd", X_OK) != 0)
    return -1; // no way to name it later
  return ::open(directoryOf(target).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC,
                mode);
#else
  (void)target;
  (void)mode;
  return -1;
#endif
}

/// Removes `target`.tmp.PID.* left by processes that no longer exist (a
/// kill -9 in the instant between naming a temporary and renaming it).
void removeStaleTemporaries(const std::string &target) {
  std::string prefix = target.substr(target.rfind('/') + 1) + ".tmp.";
  DIR *d = ::opendir(directoryOf(target).c_str());
  if (!d)
    return;
  while (struct dirent *entry = ::readdir(d)) {
    const char *name = entry->d_name;
    if (std::strncmp(name, prefix.c_str(), prefix.size()) != 0)
      continue;
    char *end;
    long pid = std::strtol(name + prefix.size(), &end, 10);
    if (*end == '.' && pid > 0 && ::kill((pid_t)pid, 0) != 0 && errno == ESRCH)
      ::unlinkat(::dirfd(d), name, 0);
  }
  ::closedir(d);
}

/// A name beside `target` that nothing has: `target`.tmp.PID.XXXXXXXX.
std::string temporaryName(const std::string &target) {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  unsigned char random[8] = {};
  if (::getrandom(random, sizeof random, 0) != (ssize_t)sizeof random)
    for (unsigned char &c : random)
      c = (unsigned char)std::rand();
  std::string name = target + ".tmp." + std::to_string(::getpid()) + ".";
  for (unsigned char c : random)
    name += digits[c % 36];
  return name;
}

/// Gives the unnamed file `fd` a fresh name beside `target` (linkat never
/// follows or replaces an existing name), for the rename that publishes it.
bool linkUnnamed(int fd, const std::string &target, std::string &tmp) {
  std::string proc = "/proc/self/fd/" + std::to_string(fd);
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = temporaryName(target);
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(),
                 AT_SYMLINK_FOLLOW) == 0)
      return true;
    if (errno != EEXIST)
      return false;
  }
  return false;
}

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
  mode_t mode = 0666;
  if (exists) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  removeStaleTemporaries(target);
  std::string tmp = target + ".tmp." + std::to_string(::getpid()) + ".XXXXXX";
  int fd = openUnnamed(target, mode);
  bool named = fd < 0;
  if (named && (fd = ::mkstemp(&tmp[0])) < 0) // no O_TMPFILE here
    return fail(HEBB_ERR_IO, path + ": cannot write: " + why());
  PendingTemp pendingTemp;
  if (named)
    pendingTemp.set(tmp);
  bool ok = ::fchmod(fd, mode) == 0 && writeAll(fd, bytes) && ::fsync(fd) == 0;
  if (ok && !named) {
    ok = named = linkUnnamed(fd, target, tmp);
    if (named)
      pendingTemp.set(tmp);
  }
  std::string reason = why();
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), target.c_str()) != 0) {
    if (ok)
      reason = why();
    if (named)
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
