//===- Gemm.h - the matrix-product paths behind hebb_sgemm ------*- C++ -*-===//

#ifndef HEBB_RUNTIME_GEMM_H
#define HEBB_RUNTIME_GEMM_H

#include <cstdint>

namespace hebb::runtime {

/// C (+)= A·Bᵀ where row i of A starts at a + i·lda and row j of B at
/// b + j·ldb, both contiguous along k (GemmDot.cpp).
void gemmDot(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
             const float *b, int64_t ldb, float *c, int64_t c_rs, int64_t c_cs,
             bool accumulate);

} // namespace hebb::runtime

#endif // HEBB_RUNTIME_GEMM_H
