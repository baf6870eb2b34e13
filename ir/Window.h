//===- Window.h - the window of a convolution or pooling op -----*- C++ -*-===//
//
/// \file
/// One description of a 2-D window (kernel, strides, padding, dilation),
/// shared by shape inference, decomposition, gradients, the lowering and the
/// reference evaluator of conv2d, im2col, col2im and the pooling ops.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_IR_WINDOW_H
#define HEBB_IR_WINDOW_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace hebb {

struct Window2d {
  int64_t kernel[2] = {1, 1};
  int64_t strides[2] = {1, 1};
  int64_t padding[4] = {0, 0, 0, 0}; // top, bottom, left, right
  int64_t dilation[2] = {1, 1};

  /// From attribute arrays of 2, 2, 4 and 2 elements (not checked here).
  static Window2d get(llvm::ArrayRef<int64_t> kernel,
                      llvm::ArrayRef<int64_t> strides,
                      llvm::ArrayRef<int64_t> padding,
                      llvm::ArrayRef<int64_t> dilation);

  /// Padding before (`axis` 0: top, 1: left) and after the input.
  int64_t before(int axis) const { return padding[2 * axis]; }
  int64_t after(int axis) const { return padding[2 * axis + 1]; }
  /// The extent one window covers along `axis`: D (K - 1) + 1.
  int64_t span(int axis) const {
    return dilation[axis] * (kernel[axis] - 1) + 1;
  }
  /// Windows along `axis` of an input of `size`: PyTorch's floor rule.
  /// Below 1 when not even one fits.
  int64_t outputSize(int axis, int64_t size) const {
    int64_t padded = size + before(axis) + after(axis) - span(axis);
    return padded < 0 ? 0 : padded / strides[axis] + 1;
  }
  /// Input position along `axis` of kernel tap `k` of window `o` (may lie
  /// in the padding: below 0 or at or past the input's size).
  int64_t inputIndex(int axis, int64_t o, int64_t k) const {
    return o * strides[axis] + k * dilation[axis] - before(axis);
  }
};

} // namespace hebb

#endif // HEBB_IR_WINDOW_H
