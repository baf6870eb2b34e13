//===- Gemm.h - the matrix-product paths behind hebb_sgemm ------*- C++ -*-===//

#ifndef HEBB_RUNTIME_GEMM_H
#define HEBB_RUNTIME_GEMM_H

#include <cstdint>

namespace hebb::runtime {

/// The instruction set of the matrix kernels: the widest the CPU runs, or
/// a narrower one that HEBB_GEMM_KERNEL=portable|avx2 asks for (tests run
/// each). Chosen once.
enum class Isa { portable, avx2, avx512 };
Isa gemmIsa();

/// C (+)= A·Bᵀ where row i of A starts at a + i·lda and row j of B at
/// b + j·ldb, both contiguous along k (GemmDot.cpp).
void gemmDot(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
             const float *b, int64_t ldb, float *c, int64_t c_rs, int64_t c_cs,
             bool accumulate);

} // namespace hebb::runtime

#endif // HEBB_RUNTIME_GEMM_H
