//===- ConvForward.cpp - a convolution's product read from the image ------===//
//
// hebb_conv2d: out[o][n][y][x] = Σ_t w[o][t] · image[n][c][y·sh + i·dh][x·sw
// + j·dw] over the taps t = (c, i, j) in order, for convolutions whose
// column matrix (a copy of the image per tap) would cost more than the
// product: few taps per output, or few windows per row. Vectors of L lanes
// (16, 8 or 4 by the instruction set) hold either
//  - a row of windows (its last vector starts L before the row's end,
//    overlapping the one before): 8 channels x 2 vectors of sums stay in
//    registers while the taps go by; or
//  - output channels, when that fills more lanes: 12 windows' vectors of
//    channels stay in registers while the taps go by, each tap's weights
//    (transposed to [taps][channels] once per call) loaded once; each
//    image's outputs are transposed back.
// One kernel body serves every instruction set: the vectors are clang
// vector types, the kernels are inlined into one function per target
// (AVX-512, AVX2 + FMA, baseline), and the compiler picks the registers.
//
// Each output is summed by one thread in tap order with `w·x + acc`, which
// contracts to a fused multiply-add where the target has one, as in
// hebb_sgemm's kernels: bit for bit the column matrix product.
//
//===----------------------------------------------------------------------===//

#include "hebb/runtime.h"

#include "ConvKernels.h"
#include "Scratch.h"

#include <cstdlib>

using namespace hebb::runtime::conv;
using hebb::runtime::Geometry;

namespace {

/// Output channels [o0, o0 + OB) at the NV vectors of windows starting at
/// xs[] in row y of image ni: every tap's image vectors loaded once, each
/// multiplied by OB weights.
template <int L, int OB, int NV>
HEBB_INLINE void forwardBlock(const Conv &k, int64_t ni, int64_t y, int64_t o0,
                              const int64_t *xs) {
  const Geometry &g = k.g;
  const int64_t taps = g.taps();
  const float *img = k.image + ni * k.imageSize;
  const float *wt = k.weight + o0 * taps;
  Vec<L> acc[OB][NV];
  unroll<OB>([&](int o) HEBB_UNROLLED {
    unroll<NV>([&](int v) HEBB_UNROLLED { acc[o][v] = Vec<L>(0.f); });
  });
  int64_t t = 0;
  for (int64_t c = 0; c < g.c; ++c)
    for (int64_t i = 0; i < g.kh; ++i) {
      const float *row = img + (c * g.h + y * g.sh + i * g.dh) * g.w;
      for (int64_t j = 0; j < g.kw; ++j, ++t) {
        Vec<L> x[NV];
        unroll<NV>([&](int v) HEBB_UNROLLED {
          load<L>(x[v], row + xs[v] * g.sw + j * g.dw);
        });
        unroll<OB>([&](int o) HEBB_UNROLLED {
          const Vec<L> w = Vec<L>(wt[o * taps + t]);
          unroll<NV>([&](int v)
                         HEBB_UNROLLED { acc[o][v] = w * x[v] + acc[o][v]; });
        });
      }
    }
  float *dst = k.out + o0 * k.channelStride + (ni * g.oh + y) * g.ow;
  unroll<OB>([&](int o) HEBB_UNROLLED {
    unroll<NV>([&](int v) HEBB_UNROLLED {
      store<L>(dst + o * k.channelStride + xs[v], acc[o][v]);
    });
  });
}

/// Every output channel of row r = (ni, y), two vectors of windows at a
/// time, OB channels at a time (as many as the registers hold).
template <int L> HEBB_INLINE void forwardRow(const Conv &k, int64_t r) {
  constexpr int OB = L >= 16 ? 8 : 6;
  const int64_t ni = r / k.g.oh, y = r % k.g.oh;
  const int64_t chunks = (k.g.ow + L - 1) / L;
  for (int64_t c = 0; c < chunks; c += 2) {
    const int64_t xs[2] = {chunkStart(k.g, L, c), chunkStart(k.g, L, c + 1)};
    for (int64_t o0 = 0; o0 < k.o; o0 += OB)
      withConstant<OB>(k.o - o0, [&](auto ob) HEBB_UNROLLED {
        if (c + 1 < chunks)
          forwardBlock<L, decltype(ob)::value, 2>(k, ni, y, o0, xs);
        else
          forwardBlock<L, decltype(ob)::value, 1>(k, ni, y, o0, xs);
      });
  }
}

/// Rows [lo, hi) with the widest vectors that fit a row (L, L/2 or 1).
template <int L>
HEBB_INLINE void forwardRows(const Conv &k, int64_t lo, int64_t hi) {
  for (int64_t r = lo; r < hi; ++r) {
    if (k.g.sw == 1 && k.g.ow >= L)
      forwardRow<L>(k, r);
    else if (k.g.sw == 1 && k.g.ow >= L / 2 && L / 2 >= 4)
      forwardRow<(L / 2 >= 4 ? L / 2 : 4)>(k, r);
    else
      forwardRow<1>(k, r);
  }
}

/// Output channels as lanes, for many channels over short rows of windows:
/// lanes [o0, o0 + L) of windows x0 .. x0 + WB - 1 of row y, each window
/// one vector of sums; every tap's weights (wT = [taps][opad], zero past
/// O) loaded once, times each window's image element. Into outT =
/// [OH·OW][opad], the image's outputs transposed.
template <int L, int WB>
HEBB_INLINE void channelForwardBlock(const Conv &k, const float *img,
                                     const float *wT, int64_t opad, int64_t o0,
                                     int64_t y, int64_t x0, float *outT) {
  const Geometry &g = k.g;
  Vec<L> acc[WB];
  unroll<WB>([&](int b) HEBB_UNROLLED { acc[b] = Vec<L>(0.f); });
  int64_t t = 0;
  for (int64_t c = 0; c < g.c; ++c)
    for (int64_t i = 0; i < g.kh; ++i) {
      const float *row =
          img + (c * g.h + y * g.sh + i * g.dh) * g.w + x0 * g.sw;
      for (int64_t j = 0; j < g.kw; ++j, ++t) {
        Vec<L> w;
        load<L>(w, wT + t * opad + o0);
        const float *p = row + j * g.dw;
        unroll<WB>([&](int b) HEBB_UNROLLED {
          acc[b] = w * Vec<L>(p[b * g.sw]) + acc[b];
        });
      }
    }
  float *dst = outT + (y * g.ow + x0) * opad + o0;
  unroll<WB>([&](int b) HEBB_UNROLLED { store<L>(dst + b * opad, acc[b]); });
}

/// Images [lo, hi) with output channels as lanes, each image's outputs
/// transposed back from outT into out.
template <int L>
HEBB_INLINE void forwardChannels(const Conv &k, int64_t lo, int64_t hi,
                                 const float *wT, float *outT) {
  constexpr int WB = 12;
  const Geometry &g = k.g;
  const int64_t opad = (k.o + L - 1) / L * L, windows = g.oh * g.ow;
  for (int64_t ni = lo; ni < hi; ++ni) {
    const float *img = k.image + ni * k.imageSize;
    for (int64_t o0 = 0; o0 < opad; o0 += L)
      for (int64_t y = 0; y < g.oh; ++y)
        for (int64_t x0 = 0; x0 < g.ow; x0 += WB)
          withConstant<WB>(g.ow - x0, [&](auto wb) HEBB_UNROLLED {
            channelForwardBlock<L, decltype(wb)::value>(k, img, wT, opad, o0, y,
                                                        x0, outT);
          });
    for (int64_t o = 0; o < k.o; ++o)
      for (int64_t w = 0; w < windows; ++w)
        k.out[o * k.channelStride + ni * windows + w] = outT[w * opad + o];
  }
}

/// Units [lo, hi): images with channels as lanes (wT and outT given), else
/// rows (ni, y).
template <int L>
HEBB_INLINE void forwardUnits(const Conv &k, int64_t lo, int64_t hi,
                              const float *wT, float *outT) {
  if (wT)
    forwardChannels<L>(k, lo, hi, wT, outT);
  else
    forwardRows<L>(k, lo, hi);
}

//===----------------------------------------------------------------------===//
// One function per instruction set
//===----------------------------------------------------------------------===//

using Forward = void (*)(const Conv &, int64_t, int64_t, const float *,
                         float *);

#if defined(__x86_64__)
__attribute__((target("avx512f"))) void forwardAvx512(const Conv &k, int64_t lo,
                                                      int64_t hi,
                                                      const float *wT,
                                                      float *outT) {
  forwardUnits<16>(k, lo, hi, wT, outT);
}
__attribute__((target("avx2,fma"))) void forwardAvx2(const Conv &k, int64_t lo,
                                                     int64_t hi,
                                                     const float *wT,
                                                     float *outT) {
  forwardUnits<8>(k, lo, hi, wT, outT);
}
#endif
void forwardPortable(const Conv &k, int64_t lo, int64_t hi, const float *wT,
                     float *outT) {
  forwardUnits<4>(k, lo, hi, wT, outT);
}

/// The kernels of the instruction set hebb_sgemm runs.
Forward forwardKernel() {
#if defined(__x86_64__)
  switch (lanes()) {
  case 16:
    return forwardAvx512;
  case 8:
    return forwardAvx2;
  }
#endif
  return forwardPortable;
}

} // namespace

extern "C" HEBB_API void hebb_conv2d(const float *image, int64_t n, int64_t c,
                                     int64_t h, int64_t w, int64_t kh,
                                     int64_t kw, int64_t sh, int64_t sw,
                                     int64_t dh, int64_t dw, int64_t oh,
                                     int64_t ow, const float *weight, int64_t o,
                                     float *out) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  if (n <= 0 || o <= 0 || oh <= 0 || ow <= 0)
    return;
  const Conv k{g, image, weight, nullptr, out, o, n * oh * ow, c * h * w};
  static const Forward forward = forwardKernel();
  static const int64_t L = lanes();
  const bool threaded = hebb::runtime::worthThreads(
      2.0 * double(o) * double(g.taps()) * double(n * oh * ow));
  float *wT = nullptr, *outT = nullptr;
  int64_t perThread = 0;
  if (channelsAsLanes(k, L)) {
    // The weights as [taps][opad]; per thread an image's outputs.
    const int64_t opad = (o + L - 1) / L * L;
    const int64_t threads = threaded ? hebb::runtime::maxThreads() : 1;
    perThread = oh * ow * opad;
    static thread_local hebb::runtime::Scratch scratch;
    wT = scratch.get(size_t(g.taps() * opad + threads * perThread));
    if (!wT)
      std::abort();
    outT = wT + g.taps() * opad;
    for (int64_t t = 0; t < g.taps(); ++t)
      for (int64_t oi = 0; oi < opad; ++oi)
        wT[t * opad + oi] = oi < o ? weight[oi * g.taps() + t] : 0.f;
  }
  auto run = [&](bool shared) {
    float *mine =
        outT ? outT + hebb::runtime::threadIndex(shared) * perThread : nullptr;
    hebb::runtime::forRange(
        wT ? n : n * oh, shared,
        [&](int64_t lo, int64_t hi) { forward(k, lo, hi, wT, mine); });
  };
  hebb::runtime::maybeParallel(threaded, run);
}
