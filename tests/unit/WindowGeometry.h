//===- WindowGeometry.h - window geometry for kernel tests ------*- C++ -*-===//

#ifndef HEBB_TESTS_UNIT_WINDOWGEOMETRY_H
#define HEBB_TESTS_UNIT_WINDOWGEOMETRY_H

#include <cstdint>

namespace hebb::test {

/// n images of c x h x w (padding included), kh x kw windows at strides
/// sh, sw and dilations dh, dw: the arguments of the window kernels.
struct WindowGeometry {
  int64_t n, c, h, w, kh, kw, sh, sw, dh, dw;
  int64_t oh() const { return (h - (kh - 1) * dh - 1) / sh + 1; }
  int64_t ow() const { return (w - (kw - 1) * dw - 1) / sw + 1; }
  int64_t imageSize() const { return n * c * h * w; }
  /// Index into the images of tap (ci, i, j) of image ni's window (y, x).
  int64_t source(int64_t ci, int64_t i, int64_t j, int64_t ni, int64_t y,
                 int64_t x) const {
    return ((ni * c + ci) * h + y * sh + i * dh) * w + x * sw + j * dw;
  }
};

} // namespace hebb::test

#endif // HEBB_TESTS_UNIT_WINDOWGEOMETRY_H
