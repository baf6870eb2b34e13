//===- Gemm.cpp - packed single-precision matrix product ------------------===//
//
// C = A·B (+ C), the one kernel compiled code calls instead of emitting its
// own loop nest. The structure is the Goto/BLIS one: B is packed into
// NR-wide column slivers per (KC x NC) panel, A into MR-tall row slivers per
// (MC x KC) block, and a register-blocked micro-kernel computes MR x NR tiles
// from the packed data. The AVX2 micro-kernel keeps a 6x16 tile in twelve ymm
// registers; a portable kernel with the same summation order serves CPUs
// without AVX2.
//
// Determinism: every element of C is summed by one thread in a fixed order
// (k blocks in order, k sequential inside a block), so the result does not
// depend on the number of OpenMP threads.
//
//===----------------------------------------------------------------------===//

#include "hebb/runtime.h"

#include "Gemm.h"
#include "Parallel.h"
#include "Scratch.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

using hebb::runtime::forEach;
using hebb::runtime::forRange;
using hebb::runtime::Scratch;
using hebb::runtime::Sync;

constexpr int64_t MR = 6, NR = 16;
// MC, a multiple of 2·MR: a block of A of up to 132 rows (an LSTM's
// 128-wide weight gradient) is one block, so B is read in place.
constexpr int64_t KC = 256, MC = 132, NC = 3072;

struct View {
  const float *p;
  int64_t rs, cs;
  float at(int64_t r, int64_t c) const { return p[r * rs + c * cs]; }
};

/// Packs one MR-row sliver of A: rows [i0, i0+rows) x cols [p0, p0+kc),
/// MR consecutive values per k (zero past the edge). A whole sliver of a
/// row-major or transposed A has its loop over the MR rows unrolled (a
/// constant trip count, no stride multiplications per element).
void packASliver(const View &a, int64_t i0, int64_t rows, int64_t p0,
                 int64_t kc, float *out) {
#if defined(__x86_64__)
  // Rows contiguous along k (x in x·Wᵀ): 4 k at a time, rows 0-3
  // transposed in SSE registers and rows 4-5 interleaved in pairs (SSE is
  // part of x86-64 itself), 6 loads and 8 stores for 24 values.
  static_assert(MR == 6, "the SSE packing writes 4 + 2 rows per k");
  if (rows == MR && a.cs == 1 && a.rs != 1) {
    const float *r0 = a.p + i0 * a.rs + p0;
    const int64_t rs = a.rs;
    int64_t k = 0;
    for (; k + 4 <= kc; k += 4) {
      __m128 x0 = _mm_loadu_ps(r0 + k), x1 = _mm_loadu_ps(r0 + rs + k),
             x2 = _mm_loadu_ps(r0 + 2 * rs + k),
             x3 = _mm_loadu_ps(r0 + 3 * rs + k);
      __m128 x4 = _mm_loadu_ps(r0 + 4 * rs + k),
             x5 = _mm_loadu_ps(r0 + 5 * rs + k);
      _MM_TRANSPOSE4_PS(x0, x1, x2, x3);
      __m128 lo = _mm_unpacklo_ps(x4, x5), hi = _mm_unpackhi_ps(x4, x5);
      float *o = out + k * MR;
      _mm_storeu_ps(o, x0);
      _mm_storel_pi(reinterpret_cast<__m64 *>(o + 4), lo);
      _mm_storeu_ps(o + 6, x1);
      _mm_storeh_pi(reinterpret_cast<__m64 *>(o + 10), lo);
      _mm_storeu_ps(o + 12, x2);
      _mm_storel_pi(reinterpret_cast<__m64 *>(o + 16), hi);
      _mm_storeu_ps(o + 18, x3);
      _mm_storeh_pi(reinterpret_cast<__m64 *>(o + 22), hi);
    }
    for (; k < kc; ++k)
      for (int64_t r = 0; r < MR; ++r)
        out[k * MR + r] = r0[r * rs + k];
    return;
  }
#endif
  if (rows == MR && (a.cs == 1 || a.rs == 1)) {
    const float *first = a.p + i0 * a.rs + p0 * a.cs;
    const int64_t down = a.rs, along = a.cs; // to the next row, next k
    for (int64_t k = 0; k < kc; ++k, out += MR, first += along)
      for (int64_t r = 0; r < MR; ++r)
        out[r] = first[r * down];
    return;
  }
  for (int64_t k = 0; k < kc; ++k) {
    for (int64_t r = 0; r < rows; ++r)
      out[r] = a.at(i0 + r, p0 + k);
    for (int64_t r = rows; r < MR; ++r)
      out[r] = 0.f;
    out += MR;
  }
}

#if defined(__x86_64__)
/// Sixteen whole columns of a transposed B (each contiguous along k, `cs`
/// apart), k in [0, kc) from `col0`, as a packed sliver: 16 x 16 blocks
/// transposed in registers (unpack pairs, then pairs of pairs, then 128-bit
/// lanes), the rest of k one element at a time. Returns nothing it could
/// not pack: the caller uses it only on AVX-512 machines.
__attribute__((target("avx512f"))) void
packTransposedSliverAvx512(const float *col0, int64_t cs, int64_t kc,
                           float *out) {
  int64_t k0 = 0;
  for (; k0 + 16 <= kc; k0 += 16) {
    __m512 r[16], t[16], u[16];
    for (int c = 0; c < 16; ++c)
      r[c] = _mm512_loadu_ps(col0 + c * cs + k0);
    for (int i = 0; i < 8; ++i) {
      t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    // u[4i + j], 128-bit lane L: element 4L + j of columns 4i .. 4i + 3.
    for (int i = 0; i < 4; ++i)
      for (int h = 0; h < 2; ++h) {
        __m512d x = _mm512_castps_pd(t[4 * i + h]),
                y = _mm512_castps_pd(t[4 * i + h + 2]);
        u[4 * i + 2 * h] = _mm512_castpd_ps(_mm512_unpacklo_pd(x, y));
        u[4 * i + 2 * h + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(x, y));
      }
    for (int j = 0; j < 4; ++j) {
      __m512 v0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88),
             v1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88),
             w0 = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xdd),
             w1 = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xdd);
      float *o = out + k0 * NR;
      _mm512_storeu_ps(o + j * NR, _mm512_shuffle_f32x4(v0, v1, 0x88));
      _mm512_storeu_ps(o + (8 + j) * NR, _mm512_shuffle_f32x4(v0, v1, 0xdd));
      _mm512_storeu_ps(o + (4 + j) * NR, _mm512_shuffle_f32x4(w0, w1, 0x88));
      _mm512_storeu_ps(o + (12 + j) * NR, _mm512_shuffle_f32x4(w0, w1, 0xdd));
    }
  }
  for (; k0 < kc; ++k0)
    for (int c = 0; c < 16; ++c)
      out[k0 * NR + c] = col0[c * cs + k0];
}
#endif

/// Packs one NR-column sliver of B: rows [p0, p0+kc), cols [j0, j0+cols).
/// A transposed B (columns contiguous) is read down each column, so every
/// read is sequential and the strided writes stay in the small sliver
/// (on AVX-512, 16 columns at a time are transposed in registers).
void packBSliver(const View &b, int64_t p0, int64_t kc, int64_t j0,
                 int64_t cols, float *out) {
#if defined(__x86_64__)
  static_assert(NR == 16, "the AVX-512 packing transposes 16 x 16 blocks");
  static_assert(HEBB_SGEMM_PACKED_FLOATS(1, 1) == NR, "the header's layout");
  if (b.rs == 1 && cols == NR &&
      hebb::runtime::gemmIsa() == hebb::runtime::Isa::avx512)
    return packTransposedSliverAvx512(b.p + j0 * b.cs + p0, b.cs, kc, out);
#endif
  if (b.rs == 1 && b.cs != 1) {
    for (int64_t c = 0; c < cols; ++c) {
      const float *col = b.p + (j0 + c) * b.cs + p0;
      for (int64_t k = 0; k < kc; ++k)
        out[k * NR + c] = col[k];
    }
    for (int64_t c = cols; c < NR; ++c)
      for (int64_t k = 0; k < kc; ++k)
        out[k * NR + c] = 0.f;
    return;
  }
  for (int64_t k = 0; k < kc; ++k) {
    if (b.cs == 1 && cols == NR) {
      std::memcpy(out, b.p + (p0 + k) * b.rs + j0, NR * sizeof(float));
    } else {
      for (int64_t c = 0; c < cols; ++c)
        out[c] = b.at(p0 + k, j0 + c);
      for (int64_t c = cols; c < NR; ++c)
        out[c] = 0.f;
    }
    out += NR;
  }
}

/// out = Ap·B (or out += Ap·B with `add`) for one MR x NR tile whose rows
/// are `ldo` apart: C itself for a whole tile, else a dense scratch tile.
/// B's rows of NR values are `ldb` apart: NR for a packed sliver, the row
/// stride of B when it is read in place.
void kernelPortable(int64_t kc, const float *ap, const float *bp, int64_t ldb,
                    float *out, int64_t ldo, bool add) {
  float acc[MR][NR] = {};
  for (int64_t k = 0; k < kc; ++k, ap += MR, bp += ldb)
    for (int64_t r = 0; r < MR; ++r)
      for (int64_t c = 0; c < NR; ++c)
        acc[r][c] += ap[r] * bp[c];
  for (int64_t r = 0; r < MR; ++r)
    for (int64_t c = 0; c < NR; ++c)
      out[r * ldo + c] = add ? out[r * ldo + c] + acc[r][c] : acc[r][c];
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void kernelAvx2(int64_t kc, const float *ap,
                                                    const float *bp,
                                                    int64_t ldb, float *out,
                                                    int64_t ldo, bool add) {
  // MR x 2 accumulators of 8 floats: constant trip counts, so the loops
  // unroll and the accumulators stay in 12 ymm registers.
  __m256 c[MR][2];
  for (int r = 0; r < MR; ++r)
    c[r][0] = c[r][1] = _mm256_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, ap += MR, bp += ldb) {
    __m256 b0 = _mm256_loadu_ps(bp), b1 = _mm256_loadu_ps(bp + 8);
    // B read in place has its rows far apart, too many streams for the
    // hardware prefetcher: fetch the next sliver's row two lines ahead.
    _mm_prefetch(reinterpret_cast<const char *>(bp + 2 * NR), _MM_HINT_T0);
    for (int r = 0; r < MR; ++r) {
      __m256 a = _mm256_broadcast_ss(ap + r);
      c[r][0] = _mm256_fmadd_ps(a, b0, c[r][0]);
      c[r][1] = _mm256_fmadd_ps(a, b1, c[r][1]);
    }
  }
  for (int r = 0; r < MR; ++r) {
    float *row = out + r * ldo;
    if (add) {
      c[r][0] = _mm256_add_ps(_mm256_loadu_ps(row), c[r][0]);
      c[r][1] = _mm256_add_ps(_mm256_loadu_ps(row + 8), c[r][1]);
    }
    _mm256_storeu_ps(row, c[r][0]);
    _mm256_storeu_ps(row + 8, c[r][1]);
  }
}

/// The AVX2 kernel's tile with one 16-float zmm per row: half the
/// instructions per k. Each lane is the same chain of fused multiply-adds
/// in the same order, so the tile is bit for bit the AVX2 one.
__attribute__((target("avx512f"))) void
kernelAvx512(int64_t kc, const float *ap, const float *bp, int64_t ldb,
             float *out, int64_t ldo, bool add) {
  __m512 c[MR];
  for (int r = 0; r < MR; ++r)
    c[r] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, ap += MR, bp += ldb) {
    __m512 b = _mm512_loadu_ps(bp);
    _mm_prefetch(reinterpret_cast<const char *>(bp + 2 * NR), _MM_HINT_T0);
    for (int r = 0; r < MR; ++r)
      c[r] = _mm512_fmadd_ps(_mm512_set1_ps(ap[r]), b, c[r]);
  }
  for (int r = 0; r < MR; ++r) {
    float *row = out + r * ldo;
    if (add)
      c[r] = _mm512_add_ps(_mm512_loadu_ps(row), c[r]);
    _mm512_storeu_ps(row, c[r]);
  }
}

/// Two MR x NR tiles of C, one above the other, from two consecutive packed
/// slivers of A (`ap`, then MR·kc on): 2·MR accumulators, enough to keep
/// two FMA units busy through their latency (MR alone leaves them waiting).
/// Every element is the same chain of fused multiply-adds as in
/// kernelAvx512, so the result is bit for bit the same.
__attribute__((target("avx512f"))) void
kernelAvx512Pair(int64_t kc, const float *ap, const float *bp, int64_t ldb,
                 float *out, int64_t ldo, bool add) {
  const float *aq = ap + MR * kc;
  __m512 c[2 * MR];
  for (int r = 0; r < 2 * MR; ++r)
    c[r] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, ap += MR, aq += MR, bp += ldb) {
    __m512 b = _mm512_loadu_ps(bp);
    _mm_prefetch(reinterpret_cast<const char *>(bp + 2 * NR), _MM_HINT_T0);
    for (int r = 0; r < MR; ++r) {
      c[r] = _mm512_fmadd_ps(_mm512_set1_ps(ap[r]), b, c[r]);
      c[MR + r] = _mm512_fmadd_ps(_mm512_set1_ps(aq[r]), b, c[MR + r]);
    }
  }
  for (int r = 0; r < 2 * MR; ++r) {
    float *row = out + r * ldo;
    if (add)
      c[r] = _mm512_add_ps(_mm512_loadu_ps(row), c[r]);
    _mm512_storeu_ps(row, c[r]);
  }
}

/// R rows (up to 2·MR: two packed slivers of A, `ap` and MR·kc on) times
/// two column slivers (`bp` and `bq`): up to 24 accumulators. Per k a whole
/// tile loads two vectors of B and broadcasts 12 values of A for 24 fused
/// multiply-adds, where kernelAvx512Pair loads 13 values for 12: the FMA
/// units, not the loads, set the pace. Fewer rows serve the last rows of a
/// block (128 = 10·12 + 8) at the same width. Every element is the same
/// chain as in kernelAvx512, so the result is bit for bit the same.
template <int R>
__attribute__((target("avx512f"))) void
kernelAvx512Wide(int64_t kc, const float *ap, const float *bp, const float *bq,
                 int64_t ldb, float *out, int64_t ldo, bool add) {
  static_assert(R >= 1 && R <= 2 * MR, "rows of two A slivers");
  const float *aq = ap + MR * kc;
  __m512 c[R][2];
  for (int r = 0; r < R; ++r)
    c[r][0] = c[r][1] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, ap += MR, aq += MR, bp += ldb, bq += ldb) {
    __m512 b0 = _mm512_loadu_ps(bp), b1 = _mm512_loadu_ps(bq);
    _mm_prefetch(reinterpret_cast<const char *>(bp + 2 * NR), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char *>(bq + 2 * NR), _MM_HINT_T0);
    for (int r = 0; r < R; ++r) {
      __m512 x = _mm512_set1_ps(r < MR ? ap[r] : aq[r - MR]);
      c[r][0] = _mm512_fmadd_ps(x, b0, c[r][0]);
      c[r][1] = _mm512_fmadd_ps(x, b1, c[r][1]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int h = 0; h < 2; ++h) {
      float *at = out + r * ldo + h * NR;
      if (add)
        c[r][h] = _mm512_add_ps(_mm512_loadu_ps(at), c[r][h]);
      _mm512_storeu_ps(at, c[r][h]);
    }
}
#endif

using Kernel = void (*)(int64_t, const float *, const float *, int64_t, float *,
                        int64_t, bool);

/// The kernel of two row tiles at once, where the instruction set has one.
Kernel pickPairKernel() {
#if defined(__x86_64__)
  if (hebb::runtime::gemmIsa() == hebb::runtime::Isa::avx512)
    return kernelAvx512Pair;
#endif
  return nullptr;
}

using WideKernel = void (*)(int64_t, const float *, const float *,
                            const float *, int64_t, float *, int64_t, bool);

/// The kernels of R rows times two column slivers, by [R - 1], where the
/// instruction set has them.
struct WideKernels {
  WideKernel rows[2 * MR] = {};
  template <int R> void fill() {
#if defined(__x86_64__)
    rows[R - 1] = kernelAvx512Wide<R>;
#endif
    if constexpr (R > 1)
      fill<R - 1>();
  }
  WideKernels() {
    if (hebb::runtime::gemmIsa() == hebb::runtime::Isa::avx512)
      fill<2 * MR>();
  }
  explicit operator bool() const { return rows[0] != nullptr; }
};

Kernel pickKernel() {
  switch (hebb::runtime::gemmIsa()) {
#if defined(__x86_64__)
  case hebb::runtime::Isa::avx512:
    return kernelAvx512;
  case hebb::runtime::Isa::avx2:
    return kernelAvx2;
#endif
  default:
    return kernelPortable;
  }
}

/// Adds (or stores) a dense MR x NR tile into C, clipped to rows x cols.
void writeTile(const float *tile, float *c, int64_t crs, int64_t ccs,
               int64_t rows, int64_t cols, bool add) {
  for (int64_t r = 0; r < rows; ++r) {
    float *row = c + r * crs;
    const float *t = tile + r * NR;
    if (ccs == 1) {
      // Loops, not memcpy: a call per 64-byte row costs more than the copy.
      if (add)
        for (int64_t j = 0; j < cols; ++j)
          row[j] += t[j];
      else
        for (int64_t j = 0; j < cols; ++j)
          row[j] = t[j];
    } else {
      for (int64_t j = 0; j < cols; ++j)
        row[j * ccs] = add ? row[j * ccs] + t[j] : t[j];
    }
  }
}

/// Whether A·Bᵀ with both operands contiguous along k goes to the
/// dot-product path. Measured on an AVX-512 Xeon, one thread: dot products
/// win from k = 4·max(m, n) (30x50x200: 67 against 44 GFLOP/s; 6x25x100352:
/// 52 against 16), packing below (128x120x400: 74 against 65).
bool dotShape(int64_t m, int64_t n, int64_t k) {
  return k >= 4 * std::max(m, n) || m < 2 * MR;
}

} // namespace

hebb::runtime::Isa hebb::runtime::gemmIsa() {
  static const Isa isa = [] {
    const char *ask = std::getenv("HEBB_GEMM_KERNEL");
    const std::string want = ask ? ask : "";
#if defined(__x86_64__)
    if (want == "portable")
      return Isa::portable;
    if (want != "avx2" && __builtin_cpu_supports("avx512f"))
      return Isa::avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      return Isa::avx2;
#endif
    return Isa::portable;
  }();
  return isa;
}

namespace {

/// Where sliver s of block pc (KC deep from row pc of B) starts in a B
/// packed whole by hebb_sgemm_pack_b: blocks one after the other, each
/// holding every sliver of n (rounded up to NR) at its depth kc.
int64_t prepackedAt(int64_t n, int64_t pc, int64_t s, int64_t kc) {
  return pc * ((n + NR - 1) / NR * NR) + s * NR * kc;
}

/// What hebb_sgemm_fused does to each finished element of C: add the
/// column's bias, then relu as arith.maxf(x, 0) computes it (NaN stays,
/// -0 becomes +0), so the result is the unfused program's bit for bit.
struct Epilogue {
  const float *bias = nullptr;
  bool relu = false;
  bool any() const { return bias || relu; }
  /// Rows [r0, r0 + rows) x columns [j0, j0 + cols) of C.
  void apply(float *c, int64_t c_rs, int64_t c_cs, int64_t r0, int64_t rows,
             int64_t j0, int64_t cols) const {
    for (int64_t r = r0; r < r0 + rows; ++r)
      for (int64_t j = j0; j < j0 + cols; ++j) {
        float &x = c[r * c_rs + j * c_cs];
        float v = bias ? x + bias[j] : x;
        x = relu && !(v > 0.f || v != v) ? 0.f : v;
      }
  }
};

/// The Goto loops of hebb_sgemm, with B packed as they go or, given
/// `prepacked`, read from there; `epilogue` applied to each tile of C as
/// its last block of k completes it (while it is in L1).
void product(int64_t m, int64_t n, int64_t k, const float *a, int64_t a_rs,
             int64_t a_cs, const float *b, int64_t b_rs, int64_t b_cs,
             const float *prepacked, float *c, int64_t c_rs, int64_t c_cs,
             bool accumulate, const Epilogue &epilogue) {
  static const Kernel kernel = pickKernel();
  static const Kernel pairKernel = pickPairKernel();
  static const WideKernels wideKernel;
  const View av{a, a_rs, a_cs}, bv{b, b_rs, b_cs};
  static thread_local Scratch aScratch, bScratch;
  const int64_t ncMax = std::min(NC, (n + NR - 1) / NR * NR);
  const int64_t mcMax = std::min(MC, (m + MR - 1) / MR * MR);
  float *bp = prepacked ? nullptr : bScratch.get(size_t(KC) * ncMax);
  float *ap = aScratch.get(size_t(KC) * mcMax);
  if (!ap || (!bp && !prepacked))
    std::abort();
  // Small products are not worth waking threads for; with one thread the
  // parallel region is skipped too (libomp allocates when it serialises).
  const bool threaded = hebb::runtime::worthThreads(2.0 * m * n * k);

  // With `shared`, the iterations are split over the enclosing parallel
  // region's threads; otherwise they run here, with no OpenMP call at all
  // (a step must not allocate, and libomp does in a serialised region).
  // Threads split B's slivers the same way for packing and for the
  // product, so each reads only the slivers it packed, and each packs the
  // whole block of A for itself: no thread reads what another wrote, and
  // none waits for another before the next panel of B (its split differs).
  // Slivers of B sit KC deep whatever the block's depth, so a thread
  // packing the next block never writes where another still reads the
  // last one. (With A packed once
  // and shared, a small product on two threads read half of it from the
  // other core's cache: LeNet's 128x120x400 took 107 µs against 127 on
  // one thread.)
  auto run = [&](bool shared) {
    static thread_local Scratch mine;
    float *apMine = shared ? mine.get(size_t(KC) * mcMax) : ap;
    if (!apMine)
      std::abort();
    for (int64_t jc = 0; jc < n; jc += NC) {
      const int64_t nc = std::min(NC, n - jc);
      const int64_t nSlivers = (nc + NR - 1) / NR;
      for (int64_t pc = 0; pc < k; pc += KC) {
        const int64_t kc = std::min(KC, k - pc);
        const bool add = accumulate || pc > 0;
        // With one block of A the packed B would be read once: full slivers
        // of a row-major B are then read in place (convolutions multiply a
        // few filters by very wide column matrices).
        const bool inPlace = !prepacked && bv.cs == 1 && m <= MC;
        forEach(
            prepacked ? 0 : nSlivers, shared,
            [&](int64_t s) {
              if (!inPlace || nc - s * NR < NR)
                packBSliver(bv, pc, kc, jc + s * NR, std::min(NR, nc - s * NR),
                            bp + s * NR * KC);
            },
            Sync::none);
        for (int64_t ic = 0; ic < m; ic += MC) {
          const int64_t mc = std::min(MC, m - ic);
          for (int64_t s = 0; s < (mc + MR - 1) / MR; ++s)
            packASliver(av, ic + s * MR, std::min(MR, mc - s * MR), pc, kc,
                        apMine + s * MR * kc);
          // Where sliver s starts: B itself (a whole sliver read in
          // place), packed in advance, or packed here; and its row stride.
          auto direct = [&](int64_t s) { return inPlace && nc - s * NR >= NR; };
          auto sliverAt = [&](int64_t s) -> const float * {
            if (direct(s))
              return bv.p + pc * bv.rs + jc + s * NR;
            if (prepacked)
              return prepacked + prepackedAt(n, pc, jc / NR + s, kc);
            return bp + s * NR * KC;
          };
          auto ldbAt = [&](int64_t s) { return direct(s) ? bv.rs : NR; };
          // One MR x NR tile of C: rows ir.., column sliver s.
          auto tileAt = [&](int64_t ir, int64_t s) {
            alignas(64) float tile[MR * NR];
            const int64_t cols = std::min(NR, nc - s * NR);
            float *dst = c + (ic + ir) * c_rs + (jc + s * NR) * c_cs;
            // A whole tile of a row-major C is written in place.
            if (cols == NR && mc - ir >= MR && c_cs == 1)
              return kernel(kc, apMine + ir * kc, sliverAt(s), ldbAt(s), dst,
                            c_rs, add);
            kernel(kc, apMine + ir * kc, sliverAt(s), ldbAt(s), tile, NR,
                   false);
            writeTile(tile, dst, c_rs, c_cs, std::min(MR, mc - ir), cols, add);
          };
          // The rows done from row ir, the same for every sliver (the
          // shallow walk steps by it): two row tiles where both are whole,
          // and with the wide kernels all that is left up to two tiles.
          auto rowStep = [&](int64_t ir) -> int64_t {
            if (wideKernel && c_cs == 1)
              return std::min(2 * MR, mc - ir);
            return pairKernel && c_cs == 1 && mc - ir >= 2 * MR ? 2 * MR : MR;
          };
          // Rows ir.. of sliver s: two row tiles at once where they can be.
          auto rowsAt = [&](int64_t ir, int64_t s) -> int64_t {
            const int64_t rows = rowStep(ir);
            if (rows == 2 * MR && nc - s * NR >= NR) {
              pairKernel(kc, apMine + ir * kc, sliverAt(s), ldbAt(s),
                         c + (ic + ir) * c_rs + (jc + s * NR), c_rs, add);
              return rows;
            }
            for (int64_t r = ir; r < ir + rows; r += MR)
              tileAt(r, s);
            return rows;
          };
          // Slivers taken together from s: two where both are whole and
          // below `hi`, so the wide kernel can have them.
          auto widthAt = [&](int64_t s, int64_t hi) -> int64_t {
            return wideKernel && c_cs == 1 && s + 1 < hi &&
                           nc - (s + 1) * NR >= NR
                       ? 2
                       : 1;
          };
          // Rows ir.. of `w` slivers from s; returns the rows done.
          auto tilesAt = [&](int64_t ir, int64_t s, int64_t w) -> int64_t {
            if (w == 2) {
              const int64_t rows = rowStep(ir);
              wideKernel.rows[rows - 1](
                  kc, apMine + ir * kc, sliverAt(s), sliverAt(s + 1), ldbAt(s),
                  c + (ic + ir) * c_rs + (jc + s * NR), c_rs, add);
              return rows;
            }
            return rowsAt(ir, s);
          };
          // Threads split the column slivers: their tiles of C are disjoint.
          // A shallow panel of B stays in cache across its slivers: walk C
          // row block by row block, so each of C's rows is written as one
          // stream (C rows tens of KB apart defeat the prefetcher when every
          // sliver writes MC of them). A deep one is walked sliver by
          // sliver, each sliver of B read from L1 for every row block.
          const bool shallow = kc * nc <= 64 * 1024;
          const bool finish = epilogue.any() && pc + kc == k;
          auto done = [&](int64_t ir, int64_t s, int64_t w) -> int64_t {
            const int64_t rows = tilesAt(ir, s, w);
            if (finish)
              epilogue.apply(c, c_rs, c_cs, ic + ir, std::min(rows, mc - ir),
                             jc + s * NR, std::min(w * NR, nc - s * NR));
            return rows;
          };
          forRange(
              nSlivers, shared,
              [&](int64_t lo, int64_t hi) {
                if (shallow) {
                  for (int64_t ir = 0, step = MR; ir < mc; ir += step)
                    for (int64_t s = lo, w; s < hi; s += w)
                      step = done(ir, s, w = widthAt(s, hi));
                } else {
                  for (int64_t s = lo, w = 1; s < hi; s += w) {
                    w = widthAt(s, hi);
                    for (int64_t ir = 0; ir < mc;)
                      ir += done(ir, s, w);
                  }
                }
              },
              Sync::none);
        }
      }
      // The next panel splits its slivers anew: its packing may reach
      // slivers another thread still reads here.
      if (jc + NC < n)
        hebb::runtime::barrier(shared);
    }
  };
  hebb::runtime::maybeParallel(threaded, run);
}

} // namespace

extern "C" HEBB_API void hebb_sgemm(int64_t m, int64_t n, int64_t k,
                                    const float *a, int64_t a_rs, int64_t a_cs,
                                    const float *b, int64_t b_rs, int64_t b_cs,
                                    float *c, int64_t c_rs, int64_t c_cs,
                                    int32_t accumulate) {
  hebb_sgemm_fused(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, nullptr, c, c_rs,
                   c_cs, accumulate, nullptr, 0);
}

extern "C" HEBB_API void hebb_sgemm_pack_b(int64_t n, int64_t k, const float *b,
                                           int64_t b_rs, int64_t b_cs,
                                           float *packed) {
  const View bv{b, b_rs, b_cs};
  for (int64_t pc = 0; pc < k; pc += KC) {
    const int64_t kc = std::min(KC, k - pc);
    for (int64_t s = 0; s * NR < n; ++s)
      packBSliver(bv, pc, kc, s * NR, std::min(NR, n - s * NR),
                  packed + prepackedAt(n, pc, s, kc));
  }
}

extern "C" HEBB_API void
hebb_sgemm_fused(int64_t m, int64_t n, int64_t k, const float *a, int64_t a_rs,
                 int64_t a_cs, const float *b, int64_t b_rs, int64_t b_cs,
                 const float *packed, float *c, int64_t c_rs, int64_t c_cs,
                 int32_t accumulate, const float *bias, int32_t relu) {
  if (m <= 0 || n <= 0)
    return;
  const Epilogue epilogue{bias, relu != 0};
  // No depth, or few or long rows with both operands contiguous along k
  // (dot products, reading B in place): the epilogue runs after.
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          c[i * c_rs + j * c_cs] = 0.f;
  } else if (a_cs == 1 && b_rs == 1 && dotShape(m, n, k)) {
    hebb::runtime::gemmDot(m, n, k, a, a_rs, b, b_cs, c, c_rs, c_cs,
                           accumulate);
  } else {
    return product(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, packed, c, c_rs, c_cs,
                   accumulate, epilogue);
  }
  if (epilogue.any())
    epilogue.apply(c, c_rs, c_cs, 0, m, 0, n);
}

extern "C" HEBB_API void
hebb_sgemm_batched(int64_t batch, int64_t m, int64_t n, int64_t k,
                   const float *a, int64_t a_bs, int64_t a_rs, int64_t a_cs,
                   const float *b, int64_t b_bs, int64_t b_rs, int64_t b_cs,
                   float *c, int64_t c_bs, int64_t c_rs, int64_t c_cs,
                   int32_t accumulate) {
  auto one = [&](int64_t q) {
    hebb_sgemm(m, n, k, a + q * a_bs, a_rs, a_cs, b + q * b_bs, b_rs, b_cs,
               c + q * c_bs, c_rs, c_cs, accumulate);
  };
  // A product worth threads splits itself; smaller ones are shared out
  // whole (inside the region hebb_sgemm runs on its own thread).
  const double work = 2.0 * double(m) * double(n) * double(k);
  const bool split = batch > 1 && !hebb::runtime::worthThreads(work) &&
                     hebb::runtime::worthThreads(work * double(batch));
  hebb::runtime::maybeParallel(
      split, [&](bool shared) { forEach(batch, shared, one, Sync::none); });
}
