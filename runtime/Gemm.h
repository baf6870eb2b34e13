//===- Gemm.h - the matrix-product paths behind hebb_sgemm ------*- C++ -*-===//

#ifndef HEBB_RUNTIME_GEMM_H
#define HEBB_RUNTIME_GEMM_H

#include <cstdint>
#include <cstdlib>

namespace hebb::runtime {

/// Scratch that grows once and is reused: no allocation in steady state.
struct Scratch {
  float *data = nullptr;
  size_t size = 0;
  ~Scratch() { std::free(data); }
  float *get(size_t n) {
    if (n > size) {
      std::free(data);
      data = static_cast<float *>(
          std::aligned_alloc(64, ((n * 4 + 63) / 64) * 64));
      size = data ? n : 0;
    }
    if (!data)
      std::abort();
    return data;
  }
};

/// hebb_sgemm, on this thread alone unless `mayThread`.
void gemm(int64_t m, int64_t n, int64_t k, const float *a, int64_t a_rs,
          int64_t a_cs, const float *b, int64_t b_rs, int64_t b_cs, float *c,
          int64_t c_rs, int64_t c_cs, bool accumulate, bool mayThread);

/// C (+)= A·Bᵀ where row i of A starts at a + i·lda and row j of B at
/// b + j·ldb, both contiguous along k (GemmDot.cpp).
void gemmDot(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
             const float *b, int64_t ldb, float *c, int64_t c_rs, int64_t c_cs,
             bool accumulate, bool mayThread);

/// The dot-product path's unit of work: columns [0, rb) of C (+)= A·Bᵀ
/// over k < kc, for all m rows, rb at most kDotColumns; as gemmDot sums.
void gemmDotColumns(int64_t m, int64_t rb, int64_t kc, const float *a,
                    int64_t lda, const float *b, int64_t ldb, float *c,
                    int64_t c_rs, int64_t c_cs, bool add);

/// gemmDot's column block and k chunk.
inline constexpr int64_t kDotColumns = 4, kDotChunk = 1024;

} // namespace hebb::runtime

#endif // HEBB_RUNTIME_GEMM_H
