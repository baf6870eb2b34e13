//===- ConvKernels.h - what the direct convolution kernels share -*- C++
//-*-===//
//
// Vectors as clang vector types, compile-time unrolling for register
// blocks, and the description of one convolution call (ConvForward.cpp,
// ConvFilterGrad.cpp; the layouts are described there).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_CONVKERNELS_H
#define HEBB_RUNTIME_CONVKERNELS_H

#include "Gemm.h"
#include "Window.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace hebb::runtime::conv {

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

/// The vector width of the instruction set hebb_sgemm runs.
inline int64_t lanes() {
  switch (gemmIsa()) {
  case Isa::avx512:
    return 16;
  case Isa::avx2:
    return 8;
  case Isa::portable:
    break;
  }
  return 4;
}

} // namespace hebb::runtime::conv

#endif // HEBB_RUNTIME_CONVKERNELS_H
