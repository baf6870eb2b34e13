//===- Window.h - window geometry shared by the runtime kernels -*- C++ -*-===//

#ifndef HEBB_RUNTIME_WINDOW_H
#define HEBB_RUNTIME_WINDOW_H

#include <cstdint>

namespace hebb::runtime {

/// Windows over an n x c x h x w image batch (h and w with padding
/// added): kh x kw taps, strides sh, sw, dilations dh, dw, oh x ow windows.
/// Its column matrix has c·kh·kw rows and n·oh·ow columns.
struct Geometry {
  int64_t n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow;
  int64_t plane() const { return h * w; }
  int64_t rows() const { return c * kh * kw; }
  int64_t columns() const { return n * oh * ow; }
};

/// Rows [r0, r1) and columns [j0, j1) of the column matrix of `image`,
/// into `out` (rows ldo apart).
void im2colBlock(const Geometry &g, const float *image, int64_t r0, int64_t r1,
                 int64_t j0, int64_t j1, float *out, int64_t ldo);

} // namespace hebb::runtime

#endif // HEBB_RUNTIME_WINDOW_H
