//===- Scratch.h - per-thread buffers that grow once ------------*- C++ -*-===//

#ifndef HEBB_RUNTIME_SCRATCH_H
#define HEBB_RUNTIME_SCRATCH_H

#include <cstddef>
#include <cstdlib>

namespace hebb::runtime {

/// Scratch that grows once and is reused: no allocation in steady state.
struct Scratch {
  float *data = nullptr;
  size_t size = 0;
  Scratch() = default;
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
  ~Scratch() { std::free(data); }
  /// At least n floats, 64-byte aligned; null when memory runs out.
  float *get(size_t n) {
    if (n > size) {
      std::free(data);
      data = static_cast<float *>(
          std::aligned_alloc(64, ((n * 4 + 63) / 64) * 64));
      size = data ? n : 0;
    }
    return data;
  }
};

} // namespace hebb::runtime

#endif // HEBB_RUNTIME_SCRATCH_H
