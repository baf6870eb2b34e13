//===- WindowTest.cpp - hebb_im2col and hebb_col2im against plain loops ---===//

#include "WindowGeometry.h"
#include "hebb/runtime.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

struct Geometry : hebb::test::WindowGeometry {
  int64_t colSize() const { return c * kh * kw * n * oh() * ow(); }
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
    {3, 6, 14, 14, 5, 5, 1, 1, 1, 1}, // its second: rows of 10
    {2, 1, 20, 20, 5, 5, 1, 1, 1, 1}, // rows of 16, the longest short ones
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

#ifdef _OPENMP
TEST(Window, ResultDoesNotDependOnTheThreadCount) {
  // Large enough to run threaded: 64 images of 6 x 30 x 30, 5 x 5 taps.
  const Geometry g{64, 6, 30, 30, 5, 5, 1, 1, 1, 1};
  auto img = random(g.imageSize(), 4);
  auto cols = random(g.colSize(), 5);
  int saved = omp_get_max_threads();
  std::vector<float> gathered[2], scattered[2];
  for (int t : {1, 2}) {
    omp_set_num_threads(t);
    gathered[t - 1] = im2col(g, img);
    scattered[t - 1] = col2im(g, cols, img, true);
  }
  omp_set_num_threads(saved);
  EXPECT_EQ(gathered[0], gathered[1]);
  EXPECT_EQ(scattered[0], scattered[1]);
}
#endif

} // namespace
