//===- Window.h - the geometry of windows over NCHW images ------*- C++ -*-===//
//
// What the window kernels (im2col, col2im, max pooling) share.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_WINDOW_H
#define HEBB_RUNTIME_WINDOW_H

#include "Parallel.h"

#include <cstdint>

namespace hebb::runtime {

/// n images of c x h x w (padding already added), kh x kw windows at
/// strides sh, sw and dilations dh, dw, oh x ow of them per image.
struct Geometry {
  int64_t n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow;
  int64_t plane() const { return h * w; }
  int64_t taps() const { return c * kh * kw; }
  /// Offset in an image of tap (ci, i, j) of window (y, x).
  int64_t at(int64_t ci, int64_t i, int64_t j, int64_t y, int64_t x) const {
    return (ci * h + y * sh + i * dh) * w + x * sw + j * dw;
  }
};

} // namespace hebb::runtime

#endif // HEBB_RUNTIME_WINDOW_H
