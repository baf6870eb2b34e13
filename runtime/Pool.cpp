//===- Pool.cpp - max pooling and its gradient for compiled code ----------===//
//
// The forward kernel takes one row of windows at a time. For the common
// square, undilated windows over one channel (2x2 and 3x3 at stride 2, 3x3
// at stride 1) the taps and strides are constants, so the compiler
// vectorises the row; any other geometry walks each window's taps. The
// gradient sends each window's gradient to the element its first maximum
// read, through a table of tap offsets. Threads take whole rows (forward)
// or whole images (gradient), so each element is written by one thread in
// a fixed order whatever the thread count.
//
//===----------------------------------------------------------------------===//

#include "hebb/runtime.h"

#include "Window.h"

#include <algorithm>

namespace {

using hebb::runtime::Geometry;

/// The row of windows at y, maxima into m and first taps into a, for K x K
/// windows at stride S over one channel, undilated: constant strides and
/// taps, so the compiler vectorises the row (stride-S loads become
/// shuffles).
template <int K, int S>
void poolRowFixed(const Geometry &g, const float *image, int64_t y,
                  float *__restrict m, int32_t *__restrict a) {
  const float *rows[K];
  for (int i = 0; i < K; ++i)
    rows[i] = image + (y * S + i) * g.w;
  for (int64_t x = 0; x < g.ow; ++x) {
    float best = rows[0][x * S];
    int32_t tap = 0;
    for (int i = 0; i < K; ++i)
      for (int j = 0; j < K; ++j) {
        float v = rows[i][x * S + j];
        bool greater = v > best;
        best = greater ? v : best;
        tap = greater ? i * K + j : tap;
      }
    m[x] = best;
    a[x] = tap;
  }
}

/// Any geometry: each window's taps in order.
void poolRow(const Geometry &g, const float *image, int64_t y, float *m,
             int32_t *a) {
  for (int64_t x = 0; x < g.ow; ++x) {
    float best = image[g.at(0, 0, 0, y, x)];
    int32_t tap = 0, t = 0;
    for (int64_t ci = 0; ci < g.c; ++ci)
      for (int64_t i = 0; i < g.kh; ++i)
        for (int64_t j = 0; j < g.kw; ++j, ++t) {
          float v = image[g.at(ci, i, j, y, x)];
          if (v > best) {
            best = v;
            tap = t;
          }
        }
    m[x] = best;
    a[x] = tap;
  }
}

} // namespace

extern "C" HEBB_API void
hebb_max_pool(const float *image, int64_t n, int64_t c, int64_t h, int64_t w,
              int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t dh,
              int64_t dw, int64_t oh, int64_t ow, float *max, int32_t *argmax) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  const bool plain =
      g.c == 1 && g.kh == g.kw && g.sh == g.sw && g.dh == 1 && g.dw == 1;
  auto row = plain && g.kh == 2 && g.sh == 2   ? &poolRowFixed<2, 2>
             : plain && g.kh == 3 && g.sh == 2 ? &poolRowFixed<3, 2>
             : plain && g.kh == 3 && g.sh == 1 ? &poolRowFixed<3, 1>
                                               : nullptr;
  auto run = [&](bool shared) {
    hebb::runtime::forEach(g.n * g.oh, shared, [&](int64_t r) {
      const float *img = image + r / g.oh * g.c * g.plane();
      if (row)
        row(g, img, r % g.oh, max + r * g.ow, argmax + r * g.ow);
      else
        poolRow(g, img, r % g.oh, max + r * g.ow, argmax + r * g.ow);
    });
  };
  hebb::runtime::maybeParallel(
      hebb::runtime::threadedCopy(g.n * g.oh * g.ow * g.taps()), run);
}

extern "C" HEBB_API void
hebb_max_pool_grad(const float *grad, const int32_t *argmax, int64_t n,
                   int64_t c, int64_t h, int64_t w, int64_t kh, int64_t kw,
                   int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t oh,
                   int64_t ow, float *image, int32_t accumulate) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  const int64_t windows = g.oh * g.ow, taps = g.taps();
  // Each tap's offset from its window's first element, looked up instead of
  // divided out (three divisions per window cost more than the scatter).
  constexpr int64_t kTable = 64;
  int64_t table[kTable];
  for (int64_t t = 0; t < std::min(taps, kTable); ++t)
    table[t] = g.at(t / (g.kw * g.kh), t / g.kw % g.kh, t % g.kw, 0, 0);
  auto offset = [&](int64_t t) {
    return t < kTable
               ? table[t]
               : g.at(t / (g.kw * g.kh), t / g.kw % g.kh, t % g.kw, 0, 0);
  };
  auto run = [&](bool shared) {
    hebb::runtime::forEach(g.n, shared, [&](int64_t ni) {
      float *img = image + ni * g.c * g.plane();
      if (!accumulate)
        for (int64_t e = 0; e < g.c * g.plane(); ++e)
          img[e] = 0.f;
      const float *gr = grad + ni * windows;
      const int32_t *arg = argmax + ni * windows;
      for (int64_t y = 0; y < g.oh; ++y) {
        float *row = img + y * g.sh * g.w;
        for (int64_t x = 0; x < g.ow; ++x) {
          const int64_t t = arg[y * g.ow + x];
          if (t >= 0 && t < taps)
            row[offset(t) + x * g.sw] += gr[y * g.ow + x];
        }
      }
    });
  };
  hebb::runtime::maybeParallel(
      hebb::runtime::threadedCopy(g.n * g.c * g.plane()), run);
}
