//===- GemmTest.cpp - hebb_sgemm against a double-precision product -------===//

#include "hebb/runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

struct Case {
  int64_t m, n, k;
  bool transA, transB;
};

/// Runs C (= or +=) A·B for operands stored transposed or not, with a
/// padded leading dimension so strides differ from extents, and checks
/// every element against a double-precision sum.
std::vector<float> runAndCheck(const Case &c, bool accumulate,
                               std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  const int64_t pad = 3;
  // A is m x k, stored [m][k + pad] or, transposed, [k][m + pad].
  int64_t aLd = (c.transA ? c.m : c.k) + pad;
  int64_t bLd = (c.transB ? c.k : c.n) + pad;
  int64_t cLd = c.n + pad;
  std::vector<float> a((c.transA ? c.k : c.m) * aLd),
      b((c.transB ? c.n : c.k) * bLd), out(c.m * cLd);
  for (float &x : a)
    x = dist(rng);
  for (float &x : b)
    x = dist(rng);
  for (float &x : out)
    x = dist(rng);
  std::vector<float> before = out;
  int64_t aRs = c.transA ? 1 : aLd, aCs = c.transA ? aLd : 1;
  int64_t bRs = c.transB ? 1 : bLd, bCs = c.transB ? bLd : 1;
  hebb_sgemm(c.m, c.n, c.k, a.data(), aRs, aCs, b.data(), bRs, bCs, out.data(),
             cLd, 1, accumulate);
  for (int64_t i = 0; i < c.m; ++i) {
    for (int64_t j = 0; j < cLd; ++j) {
      float got = out[i * cLd + j];
      if (j >= c.n) { // padding is never written
        EXPECT_EQ(got, before[i * cLd + j]);
        continue;
      }
      double want = accumulate ? before[i * cLd + j] : 0.0;
      for (int64_t p = 0; p < c.k; ++p)
        want += double(a[i * aRs + p * aCs]) * b[p * bRs + j * bCs];
      EXPECT_NEAR(got, want, 1e-5 * (1 + std::sqrt(double(c.k))))
          << c.m << "x" << c.n << "x" << c.k << " at " << i << "," << j;
    }
  }
  return out;
}

TEST(Gemm, MatchesDoublePrecisionOnEdgeShapesAndLayouts) {
  std::mt19937 rng(7);
  // Sizes straddle the 6x16 register tile and the 256-deep k blocks.
  const Case cases[] = {
      {1, 1, 1, false, false},
      {5, 15, 3, false, false},
      {6, 16, 256, false, true},
      {7, 17, 257, true, false},
      {13, 33, 300, true, true},
      {128, 10, 512, false, true},
      {121, 130, 64, false, false},
      {2, 700, 9, true, true},
      // Attention's scores (B transposed, packed 16 x 16 at a time with a
      // k tail) and pairs of row tiles with a partial last one.
      {64, 48, 40, false, true},
      {30, 64, 16, false, true},
      // Two slivers at once with every count of last rows (2·MR = 12):
      // 8 (128 = 10·12 + 8), 1, 11, with an odd sliver left over, B packed
      // and in place, and a second block of rows (MC = 132).
      {20, 80, 100, false, false},
      {13, 48, 300, true, true},
      {23, 96, 70, false, true},
      {140, 96, 50, false, true},
      {128, 512, 33, false, true},
      // Few rows with B contiguous along k: dot products.
      {1, 512, 784, false, true},
      {11, 70, 129, false, true},
      // Convolution shapes: a few filters times wide columns (B read in
      // place), and weight gradients with long k against transposed columns.
      {6, 3136, 25, false, false},
      {16, 40, 1000, false, true},
      // Both operands contiguous along k and k long (the dot-product path):
      // blocks of rows and columns cut short, a k tail, several k chunks.
      {7, 11, 2501, false, true},
      {6, 25, 3001, false, true},
      {1, 1, 4099, false, true}};
  for (const Case &c : cases)
    for (bool accumulate : {false, true})
      runAndCheck(c, accumulate, rng);
}

TEST(Gemm, FusedGivesTheBitsOfTheProductThenBiasAndRelu) {
  // B packed once (an inference entry's weights) against B packed per call,
  // and a bias and relu applied as C is stored against the same operations
  // after hebb_sgemm: transposed and not, several k blocks (KC = 256),
  // several column panels (NC = 3072), a partial last sliver, few rows (dot
  // products), rows for which hebb_sgemm reads B in place, zero depth.
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  const Case cases[] = {
      {128, 512, 784, false, true}, {20, 80, 100, false, false},
      {1, 512, 784, false, true},   {140, 96, 50, false, true},
      {13, 33, 300, true, true},    {30, 3100, 40, false, true},
      {50, 41, 600, true, false},   {7, 20, 0, false, true}};
  for (const Case &c : cases)
    for (int variant = 0; variant < 4; ++variant) {
      const bool pack = variant & 1, epilogue = variant & 2;
      std::vector<float> a(c.m * c.k), b(c.k * c.n), bias(c.n);
      std::vector<float> want(c.m * c.n), got(c.m * c.n, NAN);
      for (std::vector<float> *v : {&a, &b, &bias})
        for (float &x : *v)
          x = dist(rng);
      const int64_t aRs = c.transA ? 1 : c.k, aCs = c.transA ? c.m : 1;
      const int64_t bRs = c.transB ? 1 : c.n, bCs = c.transB ? c.k : 1;
      std::vector<float> packed(HEBB_SGEMM_PACKED_FLOATS(c.n, c.k) + 1, NAN);
      hebb_sgemm_pack_b(c.n, c.k, b.data(), bRs, bCs, packed.data());
      hebb_sgemm(c.m, c.n, c.k, a.data(), aRs, aCs, b.data(), bRs, bCs,
                 want.data(), c.n, 1, 0);
      if (epilogue)
        for (int64_t i = 0; i < c.m; ++i)
          for (int64_t j = 0; j < c.n; ++j) {
            float &x = want[i * c.n + j];
            x = std::max(x + bias[j], 0.f);
          }
      hebb_sgemm_fused(c.m, c.n, c.k, a.data(), aRs, aCs, b.data(), bRs, bCs,
                       pack ? packed.data() : nullptr, got.data(), c.n, 1, 0,
                       epilogue ? bias.data() : nullptr, epilogue);
      EXPECT_EQ(got, want) << c.m << "x" << c.n << "x" << c.k << " packed "
                           << pack << " epilogue " << epilogue;
    }
}

TEST(Gemm, ZeroDepthClearsOrKeepsTheOutput) {
  float c[4] = {1, 2, 3, 4};
  float unused = 0;
  hebb_sgemm(2, 2, 0, &unused, 0, 1, &unused, 1, 0, c, 2, 1, 1);
  EXPECT_EQ(c[3], 4.f);
  hebb_sgemm(2, 2, 0, &unused, 0, 1, &unused, 1, 0, c, 2, 1, 0);
  EXPECT_EQ(c[3], 0.f);
}

#ifdef _OPENMP
TEST(Gemm, ResultDoesNotDependOnTheThreadCount) {
  // Packed B, B read in place (a single block of A rows), dot products.
  for (const Case &big :
       {Case{200, 300, 400, false, true}, Case{100, 2000, 30, false, false},
        Case{16, 150, 5000, false, true}}) {
    std::mt19937 rng1(3), rng2(3);
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    auto one = runAndCheck(big, false, rng1);
    omp_set_num_threads(2);
    auto two = runAndCheck(big, false, rng2);
    omp_set_num_threads(saved);
    EXPECT_EQ(one, two);
  }
}

TEST(Gemm, ThreadsNeverShareWhatTheyPack) {
  // Each thread packs its own slivers of B and its own copy of A and no
  // one waits between blocks of k: with a shallower last block (784 =
  // 3 x 256 + 16, 400 = 256 + 144), slivers packed for it must not land
  // where another thread still reads the block before. Timing decides
  // whether such an overlap shows, so the product runs many times.
  for (const Case &c :
       {Case{128, 512, 784, false, true}, Case{128, 120, 400, false, true}}) {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> dist(-1.f, 1.f);
    std::vector<float> a(c.m * c.k), b(c.n * c.k), one(c.m * c.n);
    for (float &x : a)
      x = dist(rng);
    for (float &x : b)
      x = dist(rng);
    auto product = [&](std::vector<float> &out) {
      hebb_sgemm(c.m, c.n, c.k, a.data(), c.k, 1, b.data(), 1, c.k, out.data(),
                 c.n, 1, 0);
    };
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    product(one);
    omp_set_num_threads(2);
    std::vector<float> two(one.size());
    for (int run = 0; run < 200; ++run) {
      product(two);
      ASSERT_EQ(two, one) << c.m << "x" << c.n << "x" << c.k << " run " << run;
    }
    omp_set_num_threads(saved);
  }
}
#endif

} // namespace
