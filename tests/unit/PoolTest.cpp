//===- PoolTest.cpp - hebb_max_pool and its gradient against plain loops --===//

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

struct Geometry : hebb::test::WindowGeometry {
  int64_t windows() const { return n * oh() * ow(); }
  /// Image index of tap t of window (ni, y, x).
  int64_t tap(int64_t ni, int64_t t, int64_t y, int64_t x) const {
    return source(t / (kw * kh), t / kw % kh, t % kw, ni, y, x);
  }
};

/// Values with many ties (a few distinct levels), never all zero.
std::vector<float> random(int64_t size, unsigned seed, int levels = 5) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> d(-levels, levels);
  std::vector<float> v(size);
  for (float &x : v)
    x = 0.25f * float(d(gen)) + 0.125f;
  return v;
}

/// The definition: tap 0, then each tap greater than every one before.
void expectedPool(const Geometry &g, const std::vector<float> &img,
                  std::vector<float> &max, std::vector<int32_t> &arg) {
  max.assign(g.windows(), 0.f);
  arg.assign(g.windows(), 0);
  int64_t k = 0;
  for (int64_t ni = 0; ni < g.n; ++ni)
    for (int64_t y = 0; y < g.oh(); ++y)
      for (int64_t x = 0; x < g.ow(); ++x, ++k) {
        max[k] = img[g.tap(ni, 0, y, x)];
        for (int64_t t = 1; t < g.c * g.kh * g.kw; ++t)
          if (img[g.tap(ni, t, y, x)] > max[k]) {
            max[k] = img[g.tap(ni, t, y, x)];
            arg[k] = int32_t(t);
          }
      }
}

void pool(const Geometry &g, const std::vector<float> &img,
          std::vector<float> &max, std::vector<int32_t> &arg) {
  max.assign(g.windows(), -1.f);
  arg.assign(g.windows(), -1);
  hebb_max_pool(img.data(), g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.dh,
                g.dw, g.oh(), g.ow(), max.data(), arg.data());
}

std::vector<float> poolGrad(const Geometry &g, const std::vector<float> &grad,
                            const std::vector<int32_t> &arg,
                            std::vector<float> image, bool accumulate) {
  hebb_max_pool_grad(grad.data(), arg.data(), g.n, g.c, g.h, g.w, g.kh, g.kw,
                     g.sh, g.sw, g.dh, g.dw, g.oh(), g.ow(), image.data(),
                     accumulate);
  return image;
}

const Geometry kGeometries[] = {
    {5, 1, 28, 28, 2, 2, 2, 2, 1, 1}, // LeNet's pools (the 2x2/2 path)
    {3, 1, 9, 11, 3, 3, 2, 2, 1, 1},  // 3x3/2, overlapping
    {2, 1, 7, 8, 3, 3, 1, 1, 1, 1},   // 3x3/1
    {2, 3, 9, 9, 2, 3, 1, 2, 2, 1},   // channels, dilation, mixed strides
    {1, 2, 6, 6, 2, 2, 2, 2, 1, 1},   // two channels: the general path
};

TEST(Pool, MaximaAndFirstTapsAsDefined) {
  for (const Geometry &g : kGeometries) {
    auto img = random(g.imageSize(), 1);
    std::vector<float> max, wantMax;
    std::vector<int32_t> arg, wantArg;
    pool(g, img, max, arg);
    expectedPool(g, img, wantMax, wantArg);
    EXPECT_EQ(max, wantMax) << "kernel " << g.kh << "x" << g.kw;
    EXPECT_EQ(arg, wantArg) << "kernel " << g.kh << "x" << g.kw;
  }
}

TEST(Pool, NaNAtTheFirstTapStays) {
  const Geometry g{1, 1, 2, 2, 2, 2, 2, 2, 1, 1};
  std::vector<float> img = {NAN, 1.f, 2.f, 3.f}, max;
  std::vector<int32_t> arg;
  pool(g, img, max, arg);
  EXPECT_TRUE(std::isnan(max[0]));
  EXPECT_EQ(arg[0], 0);
}

TEST(Pool, GradientGoesToTheFirstMaximum) {
  for (const Geometry &g : kGeometries) {
    auto img = random(g.imageSize(), 2);
    auto grad = random(g.windows(), 3, 100);
    auto base = random(g.imageSize(), 4, 100);
    std::vector<float> max;
    std::vector<int32_t> arg;
    expectedPool(g, img, max, arg);
    // Windows in row-major order, each adding to its tap's element.
    std::vector<float> cleared(g.imageSize(), 0.f), added = base;
    for (int64_t k = 0; k < g.windows(); ++k) {
      int64_t ni = k / (g.oh() * g.ow()), y = k / g.ow() % g.oh(),
              x = k % g.ow();
      cleared[g.tap(ni, arg[k], y, x)] += grad[k];
      added[g.tap(ni, arg[k], y, x)] += grad[k];
    }
    EXPECT_EQ(poolGrad(g, grad, arg, base, false), cleared);
    EXPECT_EQ(poolGrad(g, grad, arg, base, true), added);
  }
}

TEST(Pool, TapsOutsideTheWindowAddNothing) {
  const Geometry g{1, 1, 4, 4, 2, 2, 2, 2, 1, 1};
  std::vector<float> grad = {1.f, 2.f, 3.f, 4.f};
  std::vector<int32_t> arg = {-1, 4, 0, 3};
  auto image = poolGrad(g, grad, arg, std::vector<float>(16, 7.f), false);
  std::vector<float> want(16, 0.f);
  want[8] = 3.f;  // window (1, 0), tap 0
  want[15] = 4.f; // window (1, 1), tap 3
  EXPECT_EQ(image, want);
}

#ifdef _OPENMP
TEST(Pool, ResultDoesNotDependOnTheThreadCount) {
  // Large enough to run threaded: LeNet's first pooling.
  const Geometry g{768, 1, 28, 28, 2, 2, 2, 2, 1, 1};
  auto img = random(g.imageSize(), 5);
  auto grad = random(g.windows(), 6, 100);
  int saved = omp_get_max_threads();
  std::vector<float> max[2], back[2];
  std::vector<int32_t> arg[2];
  for (int t : {1, 2}) {
    omp_set_num_threads(t);
    pool(g, img, max[t - 1], arg[t - 1]);
    back[t - 1] = poolGrad(g, grad, arg[t - 1], img, false);
  }
  omp_set_num_threads(saved);
  EXPECT_EQ(max[0], max[1]);
  EXPECT_EQ(arg[0], arg[1]);
  EXPECT_EQ(back[0], back[1]);
}
#endif

} // namespace
