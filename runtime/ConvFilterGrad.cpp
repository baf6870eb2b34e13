//===- ConvFilterGrad.cpp - a convolution's filter gradient from the image ===//
//
// hebb_conv2d_filter_grad: dw[o][t] = Σ_{n,y,x} g[o][n][y][x] ·
// image[n][c][y·sh + i·dh][x·sw + j·dw] for the taps t = (c, i, j), read
// from the image instead of a column matrix (see ConvForward.cpp for when).
// Vectors hold either a row of windows (3 channels x 5 taps of sums in
// registers while an image's rows go by, so the image and its gradient
// stay in L1; lanes added once per group of images), or output channels
// when that fills more lanes (5 x 5 taps' vectors while the windows go by,
// the image's gradient transposed to [windows][channels] first).
//
// Each group of images (at most 16, a function of the batch size) sums
// into a partial of its own, and the partials are added in group order:
// the same result for any thread count.
//
//===----------------------------------------------------------------------===//

#include "hebb/runtime.h"

#include "ConvKernels.h"
#include "Scratch.h"

#include <cstdlib>

using namespace hebb::runtime::conv;
using hebb::runtime::forEach;
using hebb::runtime::Geometry;

namespace {

/// Adds grad[o][ni][y][x] · image(ni, t, y, x) over the windows of image
/// ni into the lanes of the partial sums sums[o][t] (L floats each) of
/// channels [o0, o0 + OB) and taps t = (c, i, j0 + q), q < TB.
template <int L, int OB, int TB>
HEBB_INLINE void gradBlock(const Conv &k, int64_t ni, int64_t o0, int64_t c,
                           int64_t i, int64_t j0, float *sums) {
  const Geometry &g = k.g;
  const int64_t taps = g.taps(), t0 = (c * g.kh + i) * g.kw + j0;
  auto slot = [&](int o, int q) HEBB_UNROLLED {
    return sums + ((o0 + o) * taps + t0 + q) * L;
  };
  Vec<L> acc[OB][TB];
  unroll<OB>([&](int o) HEBB_UNROLLED {
    unroll<TB>([&](int q) HEBB_UNROLLED { load<L>(acc[o][q], slot(o, q)); });
  });
  const int64_t chunks = (g.ow + L - 1) / L;
  // The last vector's first `skip` lanes were the vector before's.
  const int64_t skip = chunks * L - g.ow;
  typename VecOf<L>::bits keep{}, all{};
  if constexpr (L > 1)
    for (int l = 0; l < L; ++l) {
      keep[l] = l < skip ? 0 : -1;
      all[l] = -1;
    }
  for (int64_t y = 0; y < g.oh; ++y) {
    const float *row = k.image + ni * k.imageSize +
                       (c * g.h + y * g.sh + i * g.dh) * g.w + j0 * g.dw;
    const float *grow = k.grad + o0 * k.channelStride + (ni * g.oh + y) * g.ow;
    for (int64_t v = 0; v < chunks; ++v) {
      const int64_t x0 = chunkStart(g, L, v);
      Vec<L> x[TB];
      unroll<TB>([&](int q) HEBB_UNROLLED {
        load<L>(x[q], row + x0 * g.sw + q * g.dw);
      });
      const auto mask = v + 1 < chunks ? all : keep;
      unroll<OB>([&](int o) HEBB_UNROLLED {
        Vec<L> gv;
        load<L>(gv, grow + o * k.channelStride + x0);
        if constexpr (L > 1)
          gv = __builtin_bit_cast(
              Vec<L>, __builtin_bit_cast(decltype(mask), gv) & mask);
        unroll<TB>([&](int q)
                       HEBB_UNROLLED { acc[o][q] = gv * x[q] + acc[o][q]; });
      });
    }
  }
  unroll<OB>([&](int o) HEBB_UNROLLED {
    unroll<TB>([&](int q) HEBB_UNROLLED { store<L>(slot(o, q), acc[o][q]); });
  });
}

/// part[o][t] for every channel and tap over images [n0, n1): each image
/// block by block (its rows stay in L1 cache), sums kept as vectors in
/// `sums` (o·taps·L floats), their lanes added at the end.
template <int L>
HEBB_INLINE void gradGroupWith(const Conv &k, int64_t n0, int64_t n1,
                               float *sums, float *part) {
  constexpr int OB = L >= 16 ? 3 : 2, TB = L >= 16 ? 5 : 4;
  const Geometry &g = k.g;
  const int64_t size = k.o * g.taps();
  std::fill(sums, sums + size * L, 0.f);
  for (int64_t ni = n0; ni < n1; ++ni)
    for (int64_t o0 = 0; o0 < k.o; o0 += OB)
      for (int64_t c = 0; c < g.c; ++c)
        for (int64_t i = 0; i < g.kh; ++i)
          for (int64_t j0 = 0; j0 < g.kw; j0 += TB)
            withConstant<OB>(k.o - o0, [&](auto ob) HEBB_UNROLLED {
              withConstant<TB>(g.kw - j0, [&](auto tb) HEBB_UNROLLED {
                gradBlock<L, decltype(ob)::value, decltype(tb)::value>(
                    k, ni, o0, c, i, j0, sums);
              });
            });
  for (int64_t e = 0; e < size; ++e) {
    Vec<L> v;
    load<L>(v, sums + e * L);
    part[e] = laneSum<L>(v);
  }
}

/// Output channels as lanes: the filter gradient of many channels over
/// short rows of windows (LeNet-5's second layer: 16 channels, rows of
/// 10). Image ni's gradient is first transposed to gT = [OH·OW][opad]
/// (zero past O); then for lanes [o0, o0 + L) and taps (c, i0 + r, j0 + q),
/// r < R, q < TB, each window adds its gradient vector times the image
/// element the tap reads into sums[t][o] (opad floats a tap).
template <int L, int R, int TB>
HEBB_INLINE void channelBlock(const Conv &k, const float *img, const float *gT,
                              int64_t opad, int64_t o0, int64_t c, int64_t i0,
                              int64_t j0, float *sums) {
  const Geometry &g = k.g;
  auto slot = [&](int r, int q) HEBB_UNROLLED {
    return sums + ((c * g.kh + i0 + r) * g.kw + j0 + q) * opad + o0;
  };
  Vec<L> acc[R][TB];
  unroll<R>([&](int r) HEBB_UNROLLED {
    unroll<TB>([&](int q) HEBB_UNROLLED { load<L>(acc[r][q], slot(r, q)); });
  });
  for (int64_t y = 0; y < g.oh; ++y) {
    const float *rows[R];
    unroll<R>([&](int r) HEBB_UNROLLED {
      rows[r] = img + (c * g.h + y * g.sh + (i0 + r) * g.dh) * g.w + j0 * g.dw;
    });
    const float *gy = gT + y * g.ow * opad + o0;
    for (int64_t x = 0; x < g.ow; ++x) {
      Vec<L> gv;
      load<L>(gv, gy + x * opad);
      const int64_t xs = x * g.sw;
      unroll<R>([&](int r) HEBB_UNROLLED {
        unroll<TB>([&](int q) HEBB_UNROLLED {
          acc[r][q] = gv * Vec<L>(rows[r][xs + q * g.dw]) + acc[r][q];
        });
      });
    }
  }
  unroll<R>([&](int r) HEBB_UNROLLED {
    unroll<TB>([&](int q) HEBB_UNROLLED { store<L>(slot(r, q), acc[r][q]); });
  });
}

/// part[o][t] over images [n0, n1) with output channels as lanes; `sums`
/// holds taps·opad floats, then image ni's transposed gradient.
template <int L>
HEBB_INLINE void gradChannelsWith(const Conv &k, int64_t n0, int64_t n1,
                                  float *sums, float *part) {
  constexpr int RMAX = L >= 16 ? 5 : 2, TBMAX = 5;
  const Geometry &g = k.g;
  const int64_t taps = g.taps(), windows = g.oh * g.ow;
  const int64_t opad = (k.o + L - 1) / L * L;
  float *gT = sums + taps * opad;
  std::fill(sums, sums + taps * opad, 0.f);
  for (int64_t ni = n0; ni < n1; ++ni) {
    for (int64_t o = 0; o < opad; ++o)
      for (int64_t w = 0; w < windows; ++w)
        gT[w * opad + o] =
            o < k.o ? k.grad[o * k.channelStride + ni * windows + w] : 0.f;
    const float *img = k.image + ni * k.imageSize;
    for (int64_t o0 = 0; o0 < opad; o0 += L)
      for (int64_t c = 0; c < g.c; ++c)
        for (int64_t i0 = 0; i0 < g.kh; i0 += RMAX)
          for (int64_t j0 = 0; j0 < g.kw; j0 += TBMAX)
            withConstant<RMAX>(g.kh - i0, [&](auto r) HEBB_UNROLLED {
              withConstant<TBMAX>(g.kw - j0, [&](auto tb) HEBB_UNROLLED {
                channelBlock<L, decltype(r)::value, decltype(tb)::value>(
                    k, img, gT, opad, o0, c, i0, j0, sums);
              });
            });
  }
  for (int64_t o = 0; o < k.o; ++o)
    for (int64_t t = 0; t < taps; ++t)
      part[o * taps + t] = sums[t * opad + o];
}

template <int L>
HEBB_INLINE void gradGroup(const Conv &k, int64_t n0, int64_t n1, float *sums,
                           float *part) {
  if (channelsAsLanes(k, L))
    gradChannelsWith<L>(k, n0, n1, sums, part);
  else if (k.g.sw == 1 && k.g.ow >= L)
    gradGroupWith<L>(k, n0, n1, sums, part);
  else if (k.g.sw == 1 && k.g.ow >= L / 2 && L / 2 >= 4)
    gradGroupWith<(L / 2 >= 4 ? L / 2 : 4)>(k, n0, n1, sums, part);
  else
    gradGroupWith<1>(k, n0, n1, sums, part);
}

//===----------------------------------------------------------------------===//
// One function per instruction set
//===----------------------------------------------------------------------===//

using Grad = void (*)(const Conv &, int64_t, int64_t, float *, float *);

#if defined(__x86_64__)
__attribute__((target("avx512f"))) void
gradAvx512(const Conv &k, int64_t n0, int64_t n1, float *sums, float *part) {
  gradGroup<16>(k, n0, n1, sums, part);
}
__attribute__((target("avx2,fma"))) void
gradAvx2(const Conv &k, int64_t n0, int64_t n1, float *sums, float *part) {
  gradGroup<8>(k, n0, n1, sums, part);
}
#endif
void gradPortable(const Conv &k, int64_t n0, int64_t n1, float *sums,
                  float *part) {
  gradGroup<4>(k, n0, n1, sums, part);
}

/// The kernels of the instruction set hebb_sgemm runs.
Grad gradKernel() {
#if defined(__x86_64__)
  switch (lanes()) {
  case 16:
    return gradAvx512;
  case 8:
    return gradAvx2;
  }
#endif
  return gradPortable;
}

/// The filter gradient's partial sums: one per group of images, at most
/// 16 groups (a function of the batch size only, so the sums do not depend
/// on the thread count).
constexpr int64_t kGroups = 16;
/// The widest vectors a filter-gradient kernel keeps its sums in.
constexpr int64_t kMaxLanes = 16;

} // namespace

extern "C" HEBB_API void
hebb_conv2d_filter_grad(const float *image, int64_t n, int64_t c, int64_t h,
                        int64_t w, int64_t kh, int64_t kw, int64_t sh,
                        int64_t sw, int64_t dh, int64_t dw, int64_t oh,
                        int64_t ow, const float *grad, int64_t o,
                        float *dweight, int32_t accumulate) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  const int64_t size = o * g.taps();
  if (size <= 0)
    return;
  if (n <= 0 || oh <= 0 || ow <= 0) {
    if (!accumulate)
      std::fill(dweight, dweight + size, 0.f);
    return;
  }
  const Conv k{g, image, nullptr, grad, nullptr, o, n * oh * ow, c * h * w};
  const int64_t per = (n + kGroups - 1) / kGroups, groups = (n + per - 1) / per;
  const bool threaded =
      hebb::runtime::worthThreads(2.0 * double(size) * double(n * oh * ow));
  const int64_t threads = threaded ? hebb::runtime::maxThreads() : 1;
  // Per group its sums; per thread the vectors it sums a group in.
  static thread_local hebb::runtime::Scratch scratch;
  // Per thread: the sums of a group as vectors of lanes (windows as lanes),
  // or taps x channels and an image's transposed gradient (channels as
  // lanes).
  const int64_t opad = (o + kMaxLanes - 1) / kMaxLanes * kMaxLanes,
                perThread =
                    std::max(size * kMaxLanes, (g.taps() + oh * ow) * opad);
  float *parts = scratch.get(size_t(size * groups + threads * perThread));
  if (!parts)
    std::abort();
  float *vectors = parts + groups * size;
  static const Grad gradGroup = gradKernel();
  auto run = [&](bool shared) {
    float *sums = vectors + hebb::runtime::threadIndex(shared) * perThread;
    forEach(groups, shared, [&](int64_t grp) {
      gradGroup(k, grp * per, std::min(n, (grp + 1) * per), sums,
                parts + grp * size);
    });
  };
  hebb::runtime::maybeParallel(threaded, run);
  for (int64_t e = 0; e < size; ++e) {
    float s = accumulate ? dweight[e] + parts[e] : parts[e];
    for (int64_t grp = 1; grp < groups; ++grp)
      s += parts[grp * size + e];
    dweight[e] = s;
  }
}
