//===- WindowTest.cpp - im2col, col2im and convolution products ----------===//

#include "hebb/runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

struct Geometry {
  int64_t n, c, h, w, kh, kw, sh, sw, dh, dw;
  int64_t oh() const { return (h - (kh - 1) * dh - 1) / sh + 1; }
  int64_t ow() const { return (w - (kw - 1) * dw - 1) / sw + 1; }
  int64_t imageSize() const { return n * c * h * w; }
  int64_t colSize() const { return c * kh * kw * n * oh() * ow(); }
  /// Index into the image of column element (ci, i, j, ni, y, x).
  int64_t source(int64_t ci, int64_t i, int64_t j, int64_t ni, int64_t y,
                 int64_t x) const {
    return ((ni * c + ci) * h + y * sh + i * dh) * w + x * sw + j * dw;
  }
  /// f(column index, image index) for every column element, in order.
  template <typename F> void each(F f) const {
    int64_t col = 0;
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          for (int64_t ni = 0; ni < n; ++ni)
            for (int64_t y = 0; y < oh(); ++y)
              for (int64_t x = 0; x < ow(); ++x)
                f(col++, source(ci, i, j, ni, y, x));
  }
};

std::vector<float> random(int64_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(size);
  for (float &x : v)
    x = dist(rng);
  return v;
}

std::vector<float> im2col(const Geometry &g, const std::vector<float> &img) {
  std::vector<float> cols(g.colSize(), -7.f);
  hebb_im2col(img.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.dh,
              g.dw, g.oh(), g.ow(), cols.data());
  return cols;
}

std::vector<float> col2im(const Geometry &g, const std::vector<float> &cols,
                          std::vector<float> img, bool accumulate) {
  hebb_col2im(cols.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.dh,
              g.dw, g.oh(), g.ow(), img.data(), accumulate);
  return img;
}

const Geometry kGeometries[] = {
    {2, 3, 9, 8, 2, 3, 2, 1, 1, 2},   // strided rows, dilated columns
    {3, 1, 32, 32, 5, 5, 1, 1, 1, 1}, // LeNet's first convolution
    {4, 2, 10, 10, 2, 2, 2, 2, 1, 1}, // 2x2 pooling
    {1, 2, 7, 11, 3, 2, 3, 3, 2, 1}};

TEST(Window, Im2colGathersEveryWindow) {
  for (const Geometry &g : kGeometries) {
    auto img = random(g.imageSize(), 1);
    auto cols = im2col(g, img);
    g.each([&](int64_t col, int64_t src) { EXPECT_EQ(cols[col], img[src]); });
  }
}

TEST(Window, Col2imAddsEveryColumnBack) {
  for (const Geometry &g : kGeometries) {
    auto cols = random(g.colSize(), 2);
    auto start = random(g.imageSize(), 3);
    for (bool accumulate : {false, true}) {
      std::vector<double> want(g.imageSize(), 0.0);
      if (accumulate)
        want.assign(start.begin(), start.end());
      g.each([&](int64_t col, int64_t dst) { want[dst] += cols[col]; });
      auto got = col2im(g, cols, start, accumulate);
      for (int64_t i = 0; i < g.imageSize(); ++i)
        EXPECT_NEAR(got[i], want[i], 1e-5) << "element " << i;
    }
  }
}

/// out = A·cols (forward) or A·colsᵀ (nt) through hebb_conv_gemm[_nt].
std::vector<float> convProduct(const Geometry &g, const std::vector<float> &a,
                               const std::vector<float> &img, int64_t m,
                               bool nt, std::vector<float> out,
                               bool accumulate) {
  const int64_t k = g.c * g.kh * g.kw, p = g.n * g.oh() * g.ow();
  if (nt)
    hebb_conv_gemm_nt(m, a.data(), p, img.data(), g.n, g.c, g.h, g.w, g.kh,
                      g.kw, g.sh, g.sw, g.dh, g.dw, g.oh(), g.ow(), out.data(),
                      k, 1, accumulate);
  else
    hebb_conv_gemm(m, a.data(), k, 1, img.data(), g.n, g.c, g.h, g.w, g.kh,
                   g.kw, g.sh, g.sw, g.dh, g.dw, g.oh(), g.ow(), out.data(), p,
                   1, accumulate);
  return out;
}

TEST(Window, ConvProductsEqualProductsWithTheColumns) {
  // Bit for bit what hebb_sgemm computes from hebb_im2col's columns; the
  // last geometry has several blocks and chunks of columns.
  const Geometry big{8, 3, 34, 30, 5, 5, 1, 1, 1, 1};
  std::vector<Geometry> geometries(std::begin(kGeometries),
                                   std::end(kGeometries));
  geometries.push_back(big);
  for (const Geometry &g : geometries) {
    const int64_t m = 7, k = g.c * g.kh * g.kw, p = g.n * g.oh() * g.ow();
    auto img = random(g.imageSize(), 6);
    auto cols = im2col(g, img);
    auto w = random(m * k, 7), grad = random(m * p, 8);
    for (bool accumulate : {false, true}) {
      std::vector<float> fwd = random(m * p, 9), wgrad = random(m * k, 10);
      auto fwdWant = fwd, wgradWant = wgrad;
      hebb_sgemm(m, p, k, w.data(), k, 1, cols.data(), p, 1, fwdWant.data(), p,
                 1, accumulate);
      hebb_sgemm(m, k, p, grad.data(), p, 1, cols.data(), 1, p,
                 wgradWant.data(), k, 1, accumulate);
      EXPECT_EQ(convProduct(g, w, img, m, false, fwd, accumulate), fwdWant);
      // The weight gradient always sums as hebb_sgemm's dot-product path,
      // which hebb_sgemm itself takes for long k only.
      auto got = convProduct(g, grad, img, m, true, wgrad, accumulate);
      if (p >= 4 * std::max(m, k))
        EXPECT_EQ(got, wgradWant);
      for (size_t i = 0; i < got.size(); ++i)
        EXPECT_NEAR(got[i], wgradWant[i], 1e-4);
    }
  }
}

#ifdef _OPENMP
TEST(Window, ResultDoesNotDependOnTheThreadCount) {
  // Large enough to run threaded: 64 images of 6 x 30 x 30, 5 x 5 taps.
  const Geometry g{64, 6, 30, 30, 5, 5, 1, 1, 1, 1};
  auto img = random(g.imageSize(), 4);
  auto cols = random(g.colSize(), 5);
  int saved = omp_get_max_threads();
  const int64_t m = 16, k = g.c * g.kh * g.kw, p = g.n * g.oh() * g.ow();
  auto w = random(m * k, 6), grad = random(m * p, 7);
  std::vector<float> gathered[2], scattered[2], fwd[2], wgrad[2];
  for (int t : {1, 2}) {
    omp_set_num_threads(t);
    gathered[t - 1] = im2col(g, img);
    scattered[t - 1] = col2im(g, cols, img, true);
    fwd[t - 1] =
        convProduct(g, w, img, m, false, std::vector<float>(m * p), false);
    wgrad[t - 1] =
        convProduct(g, grad, img, m, true, std::vector<float>(m * k), false);
  }
  omp_set_num_threads(saved);
  EXPECT_EQ(gathered[0], gathered[1]);
  EXPECT_EQ(scattered[0], scattered[1]);
  EXPECT_EQ(fwd[0], fwd[1]);
  EXPECT_EQ(wgrad[0], wgrad[1]);
}
#endif

} // namespace
