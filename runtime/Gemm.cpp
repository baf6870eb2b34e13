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
constexpr int64_t KC = 256, MC = 120, NC = 3072;

struct View {
  const float *p;
  int64_t rs, cs;
  float at(int64_t r, int64_t c) const { return p[r * rs + c * cs]; }
};

/// Packs one MR-row sliver of A: rows [i0, i0+rows) x cols [p0, p0+kc),
/// MR consecutive values per k (zero past the edge).
void packASliver(const View &a, int64_t i0, int64_t rows, int64_t p0,
                 int64_t kc, float *out) {
  for (int64_t k = 0; k < kc; ++k) {
    for (int64_t r = 0; r < rows; ++r)
      out[r] = a.at(i0 + r, p0 + k);
    for (int64_t r = rows; r < MR; ++r)
      out[r] = 0.f;
    out += MR;
  }
}

/// Packs one NR-column sliver of B: rows [p0, p0+kc), cols [j0, j0+cols).
/// A transposed B (columns contiguous) is read down each column, so every
/// read is sequential and the strided writes stay in the small sliver.
void packBSliver(const View &b, int64_t p0, int64_t kc, int64_t j0,
                 int64_t cols, float *out) {
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
#endif

using Kernel = void (*)(int64_t, const float *, const float *, int64_t, float *,
                        int64_t, bool);

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
  return k >= 4 * std::max(m, n);
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

extern "C" HEBB_API void hebb_sgemm(int64_t m, int64_t n, int64_t k,
                                    const float *a, int64_t a_rs, int64_t a_cs,
                                    const float *b, int64_t b_rs, int64_t b_cs,
                                    float *c, int64_t c_rs, int64_t c_cs,
                                    int32_t accumulate) {
  if (m <= 0 || n <= 0)
    return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          c[i * c_rs + j * c_cs] = 0.f;
    return;
  }
  if (a_cs == 1 && b_rs == 1 && dotShape(m, n, k)) {
    hebb::runtime::gemmDot(m, n, k, a, a_rs, b, b_cs, c, c_rs, c_cs,
                           accumulate);
    return;
  }
  static const Kernel kernel = pickKernel();
  const View av{a, a_rs, a_cs}, bv{b, b_rs, b_cs};
  static thread_local Scratch aScratch, bScratch;
  const int64_t ncMax = std::min(NC, (n + NR - 1) / NR * NR);
  const int64_t mcMax = std::min(MC, (m + MR - 1) / MR * MR);
  float *bp = bScratch.get(size_t(KC) * ncMax);
  float *ap = aScratch.get(size_t(KC) * mcMax);
  if (!ap || !bp)
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
        const bool inPlace = bv.cs == 1 && m <= MC;
        forEach(
            nSlivers, shared,
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
          // One MR x NR tile of C: rows ir.., column sliver s.
          auto tileAt = [&](int64_t ir, int64_t s) {
            alignas(64) float tile[MR * NR];
            const int64_t cols = std::min(NR, nc - s * NR);
            const bool direct = inPlace && cols == NR;
            const float *bs =
                direct ? bv.p + pc * bv.rs + jc + s * NR : bp + s * NR * KC;
            const int64_t ldb = direct ? bv.rs : NR;
            float *dst = c + (ic + ir) * c_rs + (jc + s * NR) * c_cs;
            // A whole tile of a row-major C is written in place.
            if (cols == NR && mc - ir >= MR && c_cs == 1)
              return kernel(kc, apMine + ir * kc, bs, ldb, dst, c_rs, add);
            kernel(kc, apMine + ir * kc, bs, ldb, tile, NR, false);
            writeTile(tile, dst, c_rs, c_cs, std::min(MR, mc - ir), cols, add);
          };
          // Threads split the column slivers: their tiles of C are disjoint.
          // A shallow panel of B stays in cache across its slivers: walk C
          // row block by row block, so each of C's rows is written as one
          // stream (C rows tens of KB apart defeat the prefetcher when every
          // sliver writes MC of them). A deep one is walked sliver by
          // sliver, each sliver of B read from L1 for every row block.
          const bool shallow = kc * nc <= 64 * 1024;
          forRange(
              nSlivers, shared,
              [&](int64_t lo, int64_t hi) {
                if (shallow) {
                  for (int64_t ir = 0; ir < mc; ir += MR)
                    for (int64_t s = lo; s < hi; ++s)
                      tileAt(ir, s);
                } else {
                  for (int64_t s = lo; s < hi; ++s)
                    for (int64_t ir = 0; ir < mc; ir += MR)
                      tileAt(ir, s);
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
