//===- GemmDot.cpp - C = A·Bᵀ with both operands read along k -------------===//
//
// The weight gradient of a convolution multiplies a few output-gradient
// rows by a few column-matrix rows, both long and contiguous along k
// (6 x 25 x 100352 and 16 x 150 x 12800 in LeNet-5). Packing them for the
// Goto kernel costs as much as the product; here each element of C is a
// dot product computed straight from the rows instead: RA x RB blocks of
// C, 8-lane partial sums along k, k cut into chunks so a block of B's rows
// stays in L1 while A's chunk is read from L2.
//
// Determinism: one thread computes each element of C, chunk after chunk,
// lanes summed in a fixed order - independent of the thread count.
//
//===----------------------------------------------------------------------===//

#include "Gemm.h"
#include "Parallel.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

constexpr int RA = 3, RB = 4, LANES = 8;
constexpr int64_t KD = 1024;

using hebb::runtime::forRange;

/// out[r][c] = Σ_k a[r·lda + k] · b[c·ldb + k] over k < kc, for r < ra and
/// c < rb, summed as LANES interleaved partial sums then lane by lane.
template <int ra, int rb>
void dotPortable(int64_t kc, const float *a, int64_t lda, const float *b,
                 int64_t ldb, float *out) {
  float acc[ra][rb][LANES] = {};
  for (int64_t k = 0; k < kc; ++k)
    for (int r = 0; r < ra; ++r)
      for (int c = 0; c < rb; ++c)
        acc[r][c][k % LANES] += a[r * lda + k] * b[c * ldb + k];
  for (int r = 0; r < ra; ++r)
    for (int c = 0; c < rb; ++c) {
      float s = 0.f;
      for (int l = 0; l < LANES; ++l)
        s += acc[r][c][l];
      out[r * RB + c] = s;
    }
}

#if defined(__x86_64__)
/// acc[r][c] += a_r[0..8) * b_c[0..8), lanes past `mask` read as zero.
template <int ra, int rb, bool masked>
__attribute__((target("avx2,fma"), always_inline)) inline void
dotStep(const float *a, int64_t lda, const float *b, int64_t ldb, __m256i mask,
        __m256 (&acc)[ra][rb]) {
  auto load = [mask](const float *p) __attribute__((target("avx2"))) {
    return masked ? _mm256_maskload_ps(p, mask) : _mm256_loadu_ps(p);
  };
  __m256 av[ra];
  for (int r = 0; r < ra; ++r)
    av[r] = load(a + r * lda);
  for (int c = 0; c < rb; ++c) {
    __m256 bv = load(b + c * ldb);
    for (int r = 0; r < ra; ++r)
      acc[r][c] = _mm256_fmadd_ps(av[r], bv, acc[r][c]);
  }
}

template <int ra, int rb>
__attribute__((target("avx2,fma"))) void dotAvx2(int64_t kc, const float *a,
                                                 int64_t lda, const float *b,
                                                 int64_t ldb, float *out) {
  __m256 acc[ra][rb];
  for (int r = 0; r < ra; ++r)
    for (int c = 0; c < rb; ++c)
      acc[r][c] = _mm256_setzero_ps();
  const __m256i all = _mm256_set1_epi32(-1);
  int64_t k = 0;
  for (; k + LANES <= kc; k += LANES)
    dotStep<ra, rb, false>(a + k, lda, b + k, ldb, all, acc);
  if (k < kc) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i mask =
        _mm256_cmpgt_epi32(_mm256_set1_epi32(int32_t(kc - k)), lane);
    dotStep<ra, rb, true>(a + k, lda, b + k, ldb, mask, acc);
  }
  for (int r = 0; r < ra; ++r)
    for (int c = 0; c < rb; ++c) {
      alignas(32) float l[LANES];
      _mm256_store_ps(l, acc[r][c]);
      float s = 0.f;
      for (int i = 0; i < LANES; ++i)
        s += l[i];
      out[r * RB + c] = s;
    }
}

/// The AVX2 kernel with 16 lanes: the same block, half the instructions
/// and twice the bytes in flight per step (a batch-1 product reads its
/// weights once, from L3: the width is what keeps the loads coming).
template <int ra, int rb>
__attribute__((target("avx512f"))) void dotAvx512(int64_t kc, const float *a,
                                                  int64_t lda, const float *b,
                                                  int64_t ldb, float *out) {
  __m512 acc[ra][rb];
  for (int r = 0; r < ra; ++r)
    for (int c = 0; c < rb; ++c)
      acc[r][c] = _mm512_setzero_ps();
  auto step = [&](int64_t k, __mmask16 mask)
      __attribute__((target("avx512f"))) {
    __m512 av[ra];
    for (int r = 0; r < ra; ++r)
      av[r] = _mm512_maskz_loadu_ps(mask, a + r * lda + k);
    for (int c = 0; c < rb; ++c) {
      __m512 bv = _mm512_maskz_loadu_ps(mask, b + c * ldb + k);
      for (int r = 0; r < ra; ++r)
        acc[r][c] = _mm512_fmadd_ps(av[r], bv, acc[r][c]);
    }
  };
  int64_t k = 0;
  for (; k + 16 <= kc; k += 16)
    step(k, 0xffff);
  if (k < kc)
    step(k, __mmask16((1u << (kc - k)) - 1));
  for (int r = 0; r < ra; ++r)
    for (int c = 0; c < rb; ++c) {
      alignas(64) float l[16];
      _mm512_store_ps(l, acc[r][c]);
      float s = 0.f;
      for (int i = 0; i < 16; ++i)
        s += l[i];
      out[r * RB + c] = s;
    }
}
#endif

using Dot = void (*)(int64_t, const float *, int64_t, const float *, int64_t,
                     float *);

/// The kernels for every block shape up to RA x RB, by [ra - 1][rb - 1].
struct Kernels {
  Dot at[RA][RB];
  template <int ra, int rb> void fill(hebb::runtime::Isa isa) {
    at[ra - 1][rb - 1] = dotPortable<ra, rb>;
#if defined(__x86_64__)
    if (isa == hebb::runtime::Isa::avx512)
      at[ra - 1][rb - 1] = dotAvx512<ra, rb>;
    else if (isa == hebb::runtime::Isa::avx2)
      at[ra - 1][rb - 1] = dotAvx2<ra, rb>;
#endif
    if constexpr (rb > 1)
      fill<ra, rb - 1>(isa);
    else if constexpr (ra > 1)
      fill<ra - 1, RB>(isa);
  }
  Kernels() { fill<RA, RB>(hebb::runtime::gemmIsa()); }
};

} // namespace

void hebb::runtime::gemmDot(int64_t m, int64_t n, int64_t k, const float *a,
                            int64_t lda, const float *b, int64_t ldb, float *c,
                            int64_t c_rs, int64_t c_cs, bool accumulate) {
  static const Kernels kernels;
  // Columns [j0, j0 + rb) of C over k in [p0, p0 + kc).
  auto block = [&](int64_t j0, int64_t rb, int64_t p0, int64_t kc, bool add) {
    for (int64_t i0 = 0; i0 < m; i0 += RA) {
      const int64_t ra = std::min<int64_t>(RA, m - i0);
      float out[RA * RB];
      kernels.at[ra - 1][rb - 1](kc, a + i0 * lda + p0, lda, b + j0 * ldb + p0,
                                 ldb, out);
      for (int64_t r = 0; r < ra; ++r)
        for (int64_t j = 0; j < rb; ++j) {
          float &dst = c[(i0 + r) * c_rs + (j0 + j) * c_cs];
          dst = add ? dst + out[r * RB + j] : out[r * RB + j];
        }
    }
  };
  // Threads split the columns evenly (25 columns: 13 and 12, where blocks
  // of 4 would give 16 and 9): their elements of C are disjoint, and every
  // block shape sums each element in the same order. A thread walks k
  // chunk by chunk, so A's chunk stays in cache while its blocks of B
  // stream past.
  auto run = [&](bool shared) {
    forRange(n, shared, [&](int64_t lo, int64_t hi) {
      for (int64_t p0 = 0; p0 < k; p0 += KD) {
        const int64_t kc = std::min(KD, k - p0);
        const bool add = accumulate || p0 > 0;
        for (int64_t j0 = lo; j0 < hi; j0 += RB)
          block(j0, std::min<int64_t>(RB, hi - j0), p0, kc, add);
      }
    });
  };
  maybeParallel(worthThreads(2.0 * m * n * k), run);
}
