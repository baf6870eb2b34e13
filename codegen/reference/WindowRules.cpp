//===- WindowRules.cpp - reference rules of the window ops ----------------===//

#include "codegen/reference/WindowRules.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace hebb::reference {

namespace {

std::vector<int64_t> shapeOf(Value v) {
  auto t = v.getType().cast<RankedTensorType>();
  return std::vector<int64_t>(t.getShape().begin(), t.getShape().end());
}

/// Element [a, b, c, d] of a 4-D tensor of `shape`.
int64_t at(const std::vector<int64_t> &shape, int64_t a, int64_t b, int64_t c,
           int64_t d) {
  return ((a * shape[1] + b) * shape[2] + c) * shape[3] + d;
}

/// Calls `fn(n, c, oh, ow, i, j, h, w)` for every tap of every window of an
/// [N, C, H, W] image batch whose position (h, w) lies inside the image.
template <typename Fn>
void forEachTap(const std::vector<int64_t> &image, const Window2d &win, Fn fn) {
  int64_t oh = win.outputSize(0, image[2]), ow = win.outputSize(1, image[3]);
  for (int64_t n = 0; n < image[0]; ++n)
    for (int64_t c = 0; c < image[1]; ++c)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x)
          for (int64_t i = 0; i < win.kernel[0]; ++i)
            for (int64_t j = 0; j < win.kernel[1]; ++j) {
              int64_t h = win.inputIndex(0, y, i), w = win.inputIndex(1, x, j);
              if (h >= 0 && h < image[2] && w >= 0 && w < image[3])
                fn(n, c, y, x, i, j, h, w);
            }
}

/// Column position of tap (c, i, j) of window (n, oh, ow) in im2col's result.
std::pair<int64_t, int64_t> columnOf(const Window2d &win,
                                     const std::vector<int64_t> &image,
                                     int64_t n, int64_t c, int64_t oh,
                                     int64_t ow, int64_t i, int64_t j) {
  int64_t outH = win.outputSize(0, image[2]),
          outW = win.outputSize(1, image[3]);
  return {(c * win.kernel[0] + i) * win.kernel[1] + j,
          (n * outH + oh) * outW + ow};
}

} // namespace

Tensor conv2d(Conv2dOp op, const Tensor &x, const Tensor &w) {
  Window2d win = op.window();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  int64_t groups = op.getGroups(), cg = x.shape[1] / groups,
          og = w.shape[0] / groups;
  // Every output channel o of group g reads input channels g cg ... + cg.
  forEachTap(x.shape, win,
             [&](int64_t n, int64_t c, int64_t oh, int64_t ow, int64_t i,
                 int64_t j, int64_t h, int64_t v) {
               int64_t g = c / cg;
               for (int64_t o = g * og; o < (g + 1) * og; ++o)
                 r.data[at(r.shape, n, o, oh, ow)] +=
                     x.data[at(x.shape, n, c, h, v)] *
                     w.data[at(w.shape, o, c - g * cg, i, j)];
             });
  return r;
}

Tensor im2col(Im2colOp op, const Tensor &x) {
  Window2d win = op.window();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  std::fill(r.data.begin(), r.data.end(), op.getValue().convertToDouble());
  forEachTap(x.shape, win,
             [&](int64_t n, int64_t c, int64_t oh, int64_t ow, int64_t i,
                 int64_t j, int64_t h, int64_t v) {
               auto [row, col] = columnOf(win, x.shape, n, c, oh, ow, i, j);
               r.data[row * r.shape[1] + col] = x.data[at(x.shape, n, c, h, v)];
             });
  return r;
}

Tensor col2im(Col2imOp op, const Tensor &cols) {
  Window2d win = op.window();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  forEachTap(r.shape, win,
             [&](int64_t n, int64_t c, int64_t oh, int64_t ow, int64_t i,
                 int64_t j, int64_t h, int64_t v) {
               auto [row, col] = columnOf(win, r.shape, n, c, oh, ow, i, j);
               r.data[at(r.shape, n, c, h, v)] +=
                   cols.data[row * cols.shape[1] + col];
             });
  return r;
}

Tensor maxPool2d(MaxPool2dOp op, const Tensor &x) {
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  std::fill(r.data.begin(), r.data.end(),
            -std::numeric_limits<double>::infinity());
  forEachTap(x.shape, op.window(),
             [&](int64_t n, int64_t c, int64_t oh, int64_t ow, int64_t, int64_t,
                 int64_t h, int64_t v) {
               double &m = r.data[at(r.shape, n, c, oh, ow)];
               m = std::max(m, x.data[at(x.shape, n, c, h, v)]);
             });
  return r;
}

Tensor avgPool2d(AvgPool2dOp op, const Tensor &x) {
  Window2d win = op.window();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  double count = (double)(win.kernel[0] * win.kernel[1]); // padding included
  forEachTap(x.shape, win,
             [&](int64_t n, int64_t c, int64_t oh, int64_t ow, int64_t, int64_t,
                 int64_t h, int64_t v) {
               r.data[at(r.shape, n, c, oh, ow)] +=
                   x.data[at(x.shape, n, c, h, v)] / count;
             });
  return r;
}

} // namespace hebb::reference
