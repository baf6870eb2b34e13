//===- Window.cpp - im2col and col2im for compiled code -------------------===//
//
// The column matrix of a convolution or a pooling window is
// [C, KH, KW, N, OH, OW]: a row (c, i, j, n, oh) holds OW values read from
// one image row at stride sw, so at stride 1 both the gather and the
// scatter-add are contiguous row copies the compiler vectorises. Generated
// loops for the same 6-D nest fare worse: LLVM unrolls the short OW loop
// and vectorises the row loop with gathers.
//
// Threads take whole rows of columns (im2col) or whole (n, c) image planes
// (col2im), so every element is written by one thread in a fixed order:
// the result does not depend on the thread count.
//
//===----------------------------------------------------------------------===//

#include "hebb/runtime.h"

#include "Gemm.h"
#include "Window.h"

#include <immintrin.h>

namespace {

using hebb::runtime::forEach;
using hebb::runtime::Geometry;
using hebb::runtime::threadedCopy;

/// dst[x] = src[x · stride] for x < count. (Without __restrict: with it
/// the row becomes a memmove call, slower for rows this short.)
inline void gatherRow(const float *src, int64_t stride, int64_t count,
                      float *dst) {
  if (stride == 1)
    for (int64_t x = 0; x < count; ++x)
      dst[x] = src[x];
  else
    for (int64_t x = 0; x < count; ++x)
      dst[x] = src[x * stride];
}

/// dst[y·count + x] = src[y·srcStride + x] for y < rows, x < count ≤ 16:
/// one masked load and store per row. A vector loop and its scalar tail
/// cost more than such a row (conv2 of LeNet: rows of 10, 514 → 374 µs);
/// longer rows gain nothing (conv1: rows of 28, bound by the writes).
__attribute__((target("avx512f"))) void
copyShortRowsAvx512(const float *src, int64_t srcStride, int64_t count,
                    int64_t rows, float *dst) {
  const __mmask16 mask = __mmask16((1u << count) - 1);
  for (int64_t y = 0; y < rows; ++y)
    _mm512_mask_storeu_ps(dst + y * count, mask,
                          _mm512_maskz_loadu_ps(mask, src + y * srcStride));
}

/// dst[x · stride] += src[x] for x < count.
inline void scatterAddRow(const float *__restrict src, int64_t stride,
                          int64_t count, float *__restrict dst) {
  if (stride == 1)
    for (int64_t x = 0; x < count; ++x)
      dst[x] += src[x];
  else
    for (int64_t x = 0; x < count; ++x)
      dst[x * stride] += src[x];
}

} // namespace

extern "C" HEBB_API void hebb_im2col(const float *image, int64_t n, int64_t c,
                                     int64_t h, int64_t w, int64_t kh,
                                     int64_t kw, int64_t sh, int64_t sw,
                                     int64_t dh, int64_t dw, int64_t oh,
                                     int64_t ow, float *cols) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  // One unit: the OH x OW block of columns of tap (ci, i, j) and image ni.
  const int64_t units = g.c * g.kh * g.kw * g.n;
  const bool shortRows = g.sw == 1 && g.ow <= 16 &&
                         hebb::runtime::gemmIsa() == hebb::runtime::Isa::avx512;
  auto run = [&](bool shared) {
    forEach(units, shared, [&](int64_t u) {
      const int64_t ni = u % g.n, tap = u / g.n;
      const int64_t j = tap % g.kw, i = tap / g.kw % g.kh,
                    ci = tap / (g.kw * g.kh);
      const float *src =
          image + (ni * g.c + ci) * g.plane() + i * g.dh * g.w + j * g.dw;
      float *dst = cols + u * g.oh * g.ow;
      if (shortRows)
        copyShortRowsAvx512(src, g.sh * g.w, g.ow, g.oh, dst);
      else
        for (int64_t y = 0; y < g.oh; ++y)
          gatherRow(src + y * g.sh * g.w, g.sw, g.ow, dst + y * g.ow);
    });
  };
  hebb::runtime::maybeParallel(threadedCopy(units * g.oh * g.ow), run);
}

extern "C" HEBB_API void hebb_col2im(const float *cols, int64_t n, int64_t c,
                                     int64_t h, int64_t w, int64_t kh,
                                     int64_t kw, int64_t sh, int64_t sw,
                                     int64_t dh, int64_t dw, int64_t oh,
                                     int64_t ow, float *image,
                                     int32_t accumulate) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  // A unit: channel ci of images [n0, n0 + NB), planes that are disjoint
  // from every other unit's. Tap after tap, each tap's rows go to all NB
  // planes before the next tap adds to the same elements again (shifted by
  // one): stores have retired by then instead of stalling the loads that
  // overlap them. Each element's sum keeps its order (tap by tap).
  constexpr int64_t NB = 8;
  const int64_t blocks = (g.n + NB - 1) / NB;
  auto run = [&](bool shared) {
    forEach(g.c * blocks, shared, [&](int64_t u) {
      const int64_t ci = u / blocks, n0 = u % blocks * NB,
                    n1 = std::min(g.n, n0 + NB);
      auto plane = [&](int64_t ni) {
        return image + (ni * g.c + ci) * g.plane();
      };
      if (!accumulate)
        for (int64_t ni = n0; ni < n1; ++ni)
          for (int64_t x = 0; x < g.plane(); ++x)
            plane(ni)[x] = 0.f;
      for (int64_t i = 0; i < g.kh; ++i)
        for (int64_t j = 0; j < g.kw; ++j)
          for (int64_t ni = n0; ni < n1; ++ni) {
            const int64_t row = ((ci * g.kh + i) * g.kw + j) * g.n + ni;
            const float *src = cols + row * g.oh * g.ow;
            float *dst = plane(ni) + i * g.dh * g.w + j * g.dw;
            for (int64_t y = 0; y < g.oh; ++y)
              scatterAddRow(src + y * g.ow, g.sw, g.ow, dst + y * g.sh * g.w);
          }
    });
  };
  hebb::runtime::maybeParallel(
      threadedCopy(g.c * g.kh * g.kw * g.n * g.oh * g.ow), run);
}
