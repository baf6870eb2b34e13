//===- FuzzFile.h - fuzz inputs as files ------------------------*- C++ -*-===//
//
/// \file
/// The readers under test take paths: each input is written to one file
/// per process (with the suffix that picks the reader) and read back.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TESTS_FUZZ_FUZZFILE_H
#define HEBB_TESTS_FUZZ_FUZZFILE_H

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace hebb::fuzz {

/// Writes `data` to $TMPDIR/hebb-fuzz-PID<suffix> and returns the path.
inline std::string asFile(const uint8_t *data, size_t size,
                          const std::string &suffix) {
  const char *dir = std::getenv("TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/hebb-fuzz-" +
                     std::to_string(getpid()) + suffix;
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    std::abort();
  if (size && std::fwrite(data, 1, size, f) != size)
    std::abort();
  std::fclose(f);
  return path;
}

} // namespace hebb::fuzz

#endif // HEBB_TESTS_FUZZ_FUZZFILE_H
