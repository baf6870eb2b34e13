//===- ConvTest.cpp - hebb_conv2d and its filter gradient -----------------===//
//
// Against sums in double precision, against the column-matrix product they
// replace (the forward bit for bit), and for any thread count. ctest runs
// these with each instruction set's kernels (HEBB_GEMM_KERNEL).
//
//===----------------------------------------------------------------------===//

#include "WindowGeometry.h"
#include "hebb/runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

struct Case : hebb::test::WindowGeometry {
  int64_t o;
  int64_t taps() const { return c * kh * kw; }
  int64_t windows() const { return n * oh() * ow(); }
};

std::vector<float> random(int64_t size, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> d(-1.f, 1.f);
  std::vector<float> v(size);
  for (float &x : v)
    x = d(gen);
  return v;
}

/// Image element of tap t of window m = (ni, y, x).
float at(const Case &g, const std::vector<float> &img, int64_t t, int64_t m) {
  int64_t ni = m / (g.oh() * g.ow()), y = m / g.ow() % g.oh(), x = m % g.ow();
  return img[g.source(t / (g.kh * g.kw), t / g.kw % g.kh, t % g.kw, ni, y, x)];
}

/// Whether got[e] is want[e] up to float rounding of a sum whose terms'
/// magnitudes add up to scale[e].
void expectClose(const std::vector<float> &got, const std::vector<double> &want,
                 const std::vector<double> &scale, const char *what) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t e = 0; e < got.size(); ++e)
    ASSERT_NEAR(got[e], want[e], 1e-6 * scale[e] + 1e-30)
        << what << " element " << e;
}

const Case kCases[] = {
    // n, c, h, w, kh, kw, sh, sw, dh, dw, o
    {{3, 1, 32, 32, 5, 5, 1, 1, 1, 1}, 6},  // LeNet's conv1: rows of 28
    {{2, 3, 9, 14, 3, 3, 2, 1, 2, 1}, 17},  // rows of 12, strided rows
    {{2, 2, 8, 20, 2, 3, 1, 1, 1, 2}, 9},   // dilated taps, rows of 16
    {{1, 1, 6, 40, 3, 7, 1, 1, 1, 1}, 4},   // 7 taps a row, rows of 34
    {{2, 2, 7, 7, 3, 3, 1, 1, 1, 1}, 3},    // rows of 5: one lane
    {{2, 1, 9, 21, 3, 3, 1, 2, 1, 1}, 5},   // horizontal stride 2
    {{37, 1, 12, 12, 3, 3, 1, 1, 1, 1}, 2}, // images in uneven groups
    // Output channels as lanes (more channels than windows in a row):
    {{3, 6, 14, 14, 5, 5, 1, 1, 1, 1}, 16}, // LeNet's conv2: rows of 10
    {{2, 2, 10, 13, 3, 3, 2, 1, 1, 2}, 20}, // channels past a vector
    {{2, 3, 9, 9, 3, 4, 1, 1, 1, 1}, 33},   // rows of 6, three vectors
    {{2, 2, 8, 16, 2, 7, 1, 2, 2, 1}, 24},  // stride 2, 7 taps a row
};

TEST(Conv, ForwardSumsTheTaps) {
  for (const Case &g : kCases) {
    auto img = random(g.imageSize(), 1), w = random(g.o * g.taps(), 2);
    std::vector<float> out(g.o * g.windows(), NAN);
    hebb_conv2d(img.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.dh,
                g.dw, g.oh(), g.ow(), w.data(), g.o, out.data());
    std::vector<double> want(out.size()), scale(out.size());
    for (int64_t oi = 0; oi < g.o; ++oi)
      for (int64_t m = 0; m < g.windows(); ++m)
        for (int64_t t = 0; t < g.taps(); ++t) {
          double term = double(w[oi * g.taps() + t]) * at(g, img, t, m);
          want[oi * g.windows() + m] += term;
          scale[oi * g.windows() + m] += std::fabs(term);
        }
    expectClose(out, want, scale, "forward");
  }
}

TEST(Conv, ForwardIsTheColumnProductBitForBit) {
  for (const Case &g : kCases) {
    auto img = random(g.imageSize(), 3), w = random(g.o * g.taps(), 4);
    std::vector<float> out(g.o * g.windows()), cols(g.taps() * g.windows()),
        prod(out.size());
    hebb_conv2d(img.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.dh,
                g.dw, g.oh(), g.ow(), w.data(), g.o, out.data());
    hebb_im2col(img.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.dh,
                g.dw, g.oh(), g.ow(), cols.data());
    hebb_sgemm(g.o, g.windows(), g.taps(), w.data(), g.taps(), 1, cols.data(),
               g.windows(), 1, prod.data(), g.windows(), 1, 0);
    EXPECT_EQ(out, prod) << g.o << " filters of " << g.kh << "x" << g.kw;
  }
}

std::vector<float> filterGrad(const Case &g, const std::vector<float> &img,
                              const std::vector<float> &grad,
                              std::vector<float> dw, bool accumulate) {
  hebb_conv2d_filter_grad(img.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh,
                          g.sw, g.dh, g.dw, g.oh(), g.ow(), grad.data(), g.o,
                          dw.data(), accumulate);
  return dw;
}

TEST(Conv, FilterGradientSumsTheWindows) {
  for (const Case &g : kCases) {
    auto img = random(g.imageSize(), 5), grad = random(g.o * g.windows(), 6);
    auto base = random(g.o * g.taps(), 7);
    std::vector<double> want(base.size()), scale(base.size());
    for (int64_t oi = 0; oi < g.o; ++oi)
      for (int64_t t = 0; t < g.taps(); ++t)
        for (int64_t m = 0; m < g.windows(); ++m) {
          double term = double(grad[oi * g.windows() + m]) * at(g, img, t, m);
          want[oi * g.taps() + t] += term;
          scale[oi * g.taps() + t] += std::fabs(term);
        }
    expectClose(filterGrad(g, img, grad, base, false), want, scale, "cleared");
    for (size_t e = 0; e < want.size(); ++e) {
      want[e] += base[e];
      scale[e] += std::fabs(base[e]);
    }
    expectClose(filterGrad(g, img, grad, base, true), want, scale, "added");
  }
}

TEST(Conv, NoWindowsGiveZeroOrKeepTheGradient) {
  const Case g{{0, 1, 8, 8, 3, 3, 1, 1, 1, 1}, 2};
  std::vector<float> none, base(18, 3.f);
  EXPECT_EQ(filterGrad(g, none, none, base, false),
            std::vector<float>(18, 0.f));
  EXPECT_EQ(filterGrad(g, none, none, base, true), base);
}

#ifdef _OPENMP
TEST(Conv, ResultDoesNotDependOnTheThreadCount) {
  // Large enough to run threaded: LeNet's two layers at batch 128 (windows
  // and channels as lanes).
  for (const Case &g : {Case{{128, 1, 32, 32, 5, 5, 1, 1, 1, 1}, 6},
                        Case{{128, 6, 14, 14, 5, 5, 1, 1, 1, 1}, 16}}) {
    auto img = random(g.imageSize(), 8), w = random(g.o * g.taps(), 9);
    auto grad = random(g.o * g.windows(), 10);
    int saved = omp_get_max_threads();
    std::vector<float> out[2], dw[2];
    for (int t : {1, 2}) {
      omp_set_num_threads(t);
      out[t - 1].assign(g.o * g.windows(), 0.f);
      hebb_conv2d(img.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.dh,
                  g.dw, g.oh(), g.ow(), w.data(), g.o, out[t - 1].data());
      dw[t - 1] = filterGrad(g, img, grad, std::vector<float>(w.size()), false);
    }
    omp_set_num_threads(saved);
    EXPECT_EQ(out[0], out[1]) << g.o << " filters";
    EXPECT_EQ(dw[0], dw[1]) << g.o << " filters";
  }
}
#endif

} // namespace
