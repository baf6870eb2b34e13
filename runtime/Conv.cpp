//===- Conv.cpp - direct convolution for few taps per output --------------===//
//
// A convolution whose outputs each sum few taps (C·KH·KW = 25 in LeNet-5's
// first layer) is a matrix product bound by its column matrix: 25 copies of
// the image written, then read by the product and again by the weight
// gradient. These kernels read the padded image in place instead:
//
//   hebb_conv2d              out[o][n][y][x] = Σ_t w[o][t] · image(n, t, y, x)
//   hebb_conv2d_filter_grad  dw[o][t] = Σ_{n,y,x} grad[o][n][y][x] · image(n,
//   t, y, x)
//
// with t = (c, i, j) and image(n, t, y, x) = image[n][c][y·sh + i·dh][x·sw +
// j·dw]. A row of L windows is one vector (L = 16, 8 or 4 lanes by the
// instruction set; a row's last vector starts L before its end, overlapping
// the one before). The forward kernel keeps up to 8 output channels of two
// such vectors in registers while it walks the taps; the filter gradient
// keeps up to 4 x 5 (channel, tap) sums while it walks the rows.
//
// One kernel body serves every instruction set: the vectors are clang
// vector types, the kernels are inlined into one function per target
// (AVX-512, AVX2 + FMA, baseline), and the compiler picks the registers.
//
// Determinism: each output element is summed in tap order by one thread
// (forward; `w·x + acc` contracts to a fused multiply-add where the target
// has one, as in hebb_sgemm's kernels, so the result is the column
// matrix product's bit for bit). The filter gradient sums each group of
// images (a count fixed by the geometry) into a partial of its own, lanes
// in a fixed tree, and the partials in group order: the same for any
// thread count.
//
//===----------------------------------------------------------------------===//

#include "hebb/runtime.h"

#include "Gemm.h"
#include "Scratch.h"
#include "Window.h"

#include <algorithm>
#include <cstdlib>
#include <type_traits>

namespace {

using hebb::runtime::forEach;
using hebb::runtime::Geometry;
using hebb::runtime::Isa;

#define HEBB_INLINE __attribute__((always_inline)) inline

template <int L> struct VecOf {
  typedef float type __attribute__((ext_vector_type(L)));
  typedef int32_t bits __attribute__((ext_vector_type(L)));
};
template <> struct VecOf<1> {
  typedef float type;
  typedef int32_t bits;
};
template <int L> using Vec = typename VecOf<L>::type;

// Vectors go by reference: these helpers are always inlined into a
// function of the vectors' instruction set, never called with them.
template <int L> HEBB_INLINE void load(Vec<L> &v, const float *p) {
  __builtin_memcpy(&v, p, sizeof v);
}

template <int L> HEBB_INLINE void store(float *p, const Vec<L> &v) {
  __builtin_memcpy(p, &v, sizeof v);
}

/// The sum of v's lanes, halves added pairwise.
template <int L> HEBB_INLINE float laneSum(const Vec<L> &v) {
  float a[L];
  __builtin_memcpy(a, &v, sizeof a);
  for (int s = L / 2; s > 0; s /= 2)
    for (int i = 0; i < s; ++i)
      a[i] += a[i + s];
  return a[0];
}

/// f(std::integral_constant<int, n>) for 1 ≤ n ≤ Max.
template <int Max, typename F>
HEBB_INLINE void withConstant(int64_t n, const F &f) {
  if constexpr (Max > 1)
    if (n < Max)
      return withConstant<Max - 1>(n, f);
  f(std::integral_constant<int, Max>());
}

/// f(std::integral_constant<int, i>) for i = 0, 1, ..., N - 1. Register
/// blocks index their arrays only through it: with every index a constant
/// the arrays become registers (with loops over them, clang keeps them in
/// memory and stores them back on every row).
template <int N, typename F> HEBB_INLINE void unroll(const F &f) {
  if constexpr (N > 0) {
    unroll<N - 1>(f);
    f(std::integral_constant<int, N - 1>());
  }
}

#define HEBB_UNROLLED __attribute__((always_inline))

/// Where the k-th of a row's vectors of L windows starts: the last one
/// ends at the row's end.
HEBB_INLINE int64_t chunkStart(const Geometry &g, int L, int64_t k) {
  return std::min<int64_t>(k * L, g.ow - L);
}

/// What a kernel reads and writes; images and outputs of image ni start at
/// image + ni·imageSize and out/grad + ni·OH·OW; channel o of out/grad at
/// + o·channelStride (= N·OH·OW).
struct Conv {
  Geometry g;
  const float *image, *weight, *grad;
  float *out;
  int64_t o, channelStride, imageSize;
};

//===----------------------------------------------------------------------===//
// Forward
//===----------------------------------------------------------------------===//

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

/// The share of vector lanes that hold windows (a row of them a vector) or
/// output channels (channels as lanes) for vectors of L lanes.
inline double windowLanes(const Geometry &g, int64_t L) {
  return g.sw == 1 && g.ow >= L ? double(g.ow) / double((g.ow + L - 1) / L * L)
                                : 0.25;
}
inline double channelLanes(int64_t o, int64_t L) {
  return o >= L ? double(o) / double((o + L - 1) / L * L) : 0.0;
}
/// Whether the kernels of L lanes take output channels as lanes.
inline bool channelsAsLanes(const Conv &k, int64_t L) {
  return channelLanes(k.o, L) > windowLanes(k.g, L);
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
// Filter gradient
//===----------------------------------------------------------------------===//

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

using Forward = void (*)(const Conv &, int64_t, int64_t, const float *,
                         float *);
using Grad = void (*)(const Conv &, int64_t, int64_t, float *, float *);

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
__attribute__((target("avx512f"))) void
gradAvx512(const Conv &k, int64_t n0, int64_t n1, float *sums, float *part) {
  gradGroup<16>(k, n0, n1, sums, part);
}
__attribute__((target("avx2,fma"))) void
gradAvx2(const Conv &k, int64_t n0, int64_t n1, float *sums, float *part) {
  gradGroup<8>(k, n0, n1, sums, part);
}
#endif
void forwardPortable(const Conv &k, int64_t lo, int64_t hi, const float *wT,
                     float *outT) {
  forwardUnits<4>(k, lo, hi, wT, outT);
}
void gradPortable(const Conv &k, int64_t n0, int64_t n1, float *sums,
                  float *part) {
  gradGroup<4>(k, n0, n1, sums, part);
}

/// The kernels of the instruction set hebb_sgemm runs.
struct Kernels {
  Forward forward = forwardPortable;
  Grad grad = gradPortable;
  int64_t lanes = 4;
  Kernels() {
#if defined(__x86_64__)
    switch (hebb::runtime::gemmIsa()) {
    case Isa::avx512:
      forward = forwardAvx512;
      grad = gradAvx512;
      lanes = 16;
      break;
    case Isa::avx2:
      forward = forwardAvx2;
      grad = gradAvx2;
      lanes = 8;
      break;
    case Isa::portable:
      break;
    }
#endif
  }
};

const Kernels &kernels() {
  static const Kernels k;
  return k;
}

/// The filter gradient's partial sums: one per group of images, at most
/// 16 groups (a function of the batch size only, so the sums do not depend
/// on the thread count).
constexpr int64_t kGroups = 16;
/// The widest vectors a filter-gradient kernel keeps its sums in.
constexpr int64_t kMaxLanes = 16;

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
  const Kernels &kern = kernels();
  const bool threaded = hebb::runtime::worthThreads(
      2.0 * double(o) * double(g.taps()) * double(n * oh * ow));
  float *wT = nullptr, *outT = nullptr;
  int64_t perThread = 0;
  if (channelsAsLanes(k, kern.lanes)) {
    // The weights as [taps][opad]; per thread an image's outputs.
    const int64_t opad = (o + kern.lanes - 1) / kern.lanes * kern.lanes;
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
        [&](int64_t lo, int64_t hi) { kern.forward(k, lo, hi, wT, mine); });
  };
  hebb::runtime::maybeParallel(threaded, run);
}

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
  const Grad gradGroup = kernels().grad;
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
