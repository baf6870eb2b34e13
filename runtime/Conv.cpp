//===- Conv.cpp - products with im2col columns made block by block --------===//
//
// A convolution's column matrix (C·KH·KW rows, N·OH·OW columns) is many
// megabytes - 10 MB for LeNet-5's first layer at batch 128 - and written
// out whole it is written once and read twice from beyond L2: by the
// forward product and by the weight gradient. These kernels compute the
// same two products from the image, gathering the columns they need into
// a small per-thread scratch just before they use it:
//
//   hebb_conv_gemm:    C[m, N·OH·OW] (+)= A[m, K] · cols, 1024 columns at
//                      a time, each block a hebb_sgemm on this thread;
//   hebb_conv_gemm_nt: C[m, K] (+)= A[m, N·OH·OW] · colsᵀ, the dot-product
//                      path of hebb_sgemm, each thread gathering the rows
//                      of cols its columns of C need, 1024 columns deep.
//
// Each element is summed exactly as hebb_sgemm sums it from the whole
// column matrix, by one thread: results do not depend on the thread count.
//
//===----------------------------------------------------------------------===//

#include "hebb/runtime.h"

#include "Gemm.h"
#include "Parallel.h"
#include "Window.h"

using namespace hebb::runtime;

extern "C" HEBB_API void
hebb_conv_gemm(int64_t m, const float *a, int64_t a_rs, int64_t a_cs,
               const float *image, int64_t n, int64_t c, int64_t h, int64_t w,
               int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t dh,
               int64_t dw, int64_t oh, int64_t ow, float *out, int64_t c_rs,
               int64_t c_cs, int32_t accumulate) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  constexpr int64_t block = 1024;
  const int64_t k = g.rows(), cols = g.columns();
  const int64_t blocks = (cols + block - 1) / block;
  auto run = [&](bool shared) {
    forEach(blocks, shared, [&](int64_t t) {
      static thread_local Scratch scratch;
      const int64_t j0 = t * block, nc = std::min(block, cols - j0);
      float *b = scratch.get(size_t(k) * block);
      im2colBlock(g, image, 0, k, j0, j0 + nc, b, nc);
      gemm(m, nc, k, a, a_rs, a_cs, b, nc, 1, out + j0 * c_cs, c_rs, c_cs,
           accumulate, false);
    });
  };
  maybeParallel(worthThreads(2.0 * m * k * cols), run);
}

extern "C" HEBB_API void
hebb_conv_gemm_nt(int64_t m, const float *a, int64_t a_rs, const float *image,
                  int64_t n, int64_t c, int64_t h, int64_t w, int64_t kh,
                  int64_t kw, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                  int64_t oh, int64_t ow, float *out, int64_t c_rs,
                  int64_t c_cs, int32_t accumulate) {
  const Geometry g{n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow};
  const int64_t k = g.rows(), depth = g.columns();
  const int64_t colBlocks = (k + kDotColumns - 1) / kDotColumns;
  auto run = [&](bool shared) {
    forRange(colBlocks, shared, [&](int64_t lo, int64_t hi) {
      if (lo >= hi)
        return;
      static thread_local Scratch scratch;
      const int64_t r0 = lo * kDotColumns, r1 = std::min(k, hi * kDotColumns);
      float *rows = scratch.get(size_t(r1 - r0) * kDotChunk);
      for (int64_t p0 = 0; p0 < depth; p0 += kDotChunk) {
        const int64_t kc = std::min(kDotChunk, depth - p0);
        im2colBlock(g, image, r0, r1, p0, p0 + kc, rows, kDotChunk);
        for (int64_t j0 = r0; j0 < r1; j0 += kDotColumns)
          gemmDotColumns(m, std::min(kDotColumns, r1 - j0), kc, a + p0, a_rs,
                         rows + (j0 - r0) * kDotChunk, kDotChunk,
                         out + j0 * c_cs, c_rs, c_cs, accumulate || p0 > 0);
      }
    });
  };
  maybeParallel(worthThreads(2.0 * m * k * depth), run);
}
