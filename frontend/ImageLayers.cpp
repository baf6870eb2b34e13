//===- ImageLayers.cpp - convolution, pooling and reshape layers ----------===//
//
// Image layers of the layers form, on NCHW batches with PyTorch's names and
// layouts: a conv2d layer "conv1" has parameters conv1.weight
// [filters, channels / groups, KH, KW] and conv1.bias [filters], so a
// PyTorch state_dict loads unchanged. Sizes are an integer (both axes) or a
// pair [height, width]; padding also [top, bottom, left, right], "valid"
// (none) or "same" (the output keeps ceil(input / stride) positions, the odd
// pixel going to the bottom and right, as in PyTorch and Keras).
//
//===----------------------------------------------------------------------===//

#include "frontend/Layers.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace hebb::frontend {
namespace {

constexpr int64_t kMaxWindow = 1 << 20;

/// The layer's input, which must be an NCHW batch.
RankedTensorType imageInput(LayerContext &c, const char *layer) {
  auto in = typeOf(c.x);
  if (in.getRank() != 4)
    c.node.fail(std::string(layer) +
                " expects [batch, channels, height, width], got " +
                typeString(in) +
                "; give input.shape as [channels, height, width] or add a "
                "reshape layer");
  return in;
}

/// An integer (both axes) or a pair [height, width] at `key`, or `dflt`.
std::array<int64_t, 2> pairAt(const JNode &layer, const char *key,
                              std::array<int64_t, 2> dflt, int64_t min) {
  if (!layer.has(key))
    return dflt;
  JNode n = layer.at(key);
  if (n.json().is_array()) {
    std::vector<int64_t> v = n.intList(min, kMaxWindow);
    if (v.size() != 2)
      n.expected("an integer or a pair [height, width]");
    return {v[0], v[1]};
  }
  int64_t v = n.integer(min, kMaxWindow);
  return {v, v};
}

/// Per-side padding [top, bottom, left, right] of a window op.
std::array<int64_t, 4> paddingAt(const JNode &layer, RankedTensorType in,
                                 std::array<int64_t, 2> kernel,
                                 std::array<int64_t, 2> stride,
                                 std::array<int64_t, 2> dilation) {
  if (!layer.has("padding"))
    return {0, 0, 0, 0};
  JNode n = layer.at("padding");
  if (n.json().is_string()) {
    std::string mode = n.str();
    if (mode == "valid")
      return {0, 0, 0, 0};
    if (mode != "same")
      n.expected("\"valid\", \"same\", an integer or a list of 2 or 4");
    std::array<int64_t, 4> p{};
    for (int a = 0; a < 2; ++a) {
      int64_t size = in.getDimSize(2 + a),
              span = dilation[a] * (kernel[a] - 1) + 1;
      int64_t out = (size + stride[a] - 1) / stride[a];
      int64_t total = std::max<int64_t>((out - 1) * stride[a] + span - size, 0);
      p[2 * a] = total / 2;
      p[2 * a + 1] = total - total / 2;
    }
    return p;
  }
  if (!n.json().is_array()) {
    int64_t v = n.integer(0, kMaxWindow);
    return {v, v, v, v};
  }
  std::vector<int64_t> v = n.intList(0, kMaxWindow);
  if (v.size() == 2)
    return {v[0], v[0], v[1], v[1]};
  if (v.size() != 4)
    n.expected("\"valid\", \"same\", an integer or a list of 2 or 4");
  return {v[0], v[1], v[2], v[3]};
}

/// PyTorch's ceil_mode: as many windows as cover the padded input when the
/// last may hang over its end (but still starts inside the image or its
/// leading padding); the overhang joins the trailing padding, which max
/// pooling fills with -inf.
void addCeilModePadding(RankedTensorType in, std::array<int64_t, 2> kernel,
                        std::array<int64_t, 2> stride,
                        std::array<int64_t, 4> &padding) {
  for (int a = 0; a < 2; ++a) {
    int64_t size = in.getDimSize(2 + a), before = padding[2 * a];
    int64_t padded = size + before + padding[2 * a + 1];
    if (padded < kernel[a])
      continue; // no window fits: the op reports it
    int64_t out = (padded - kernel[a] + stride[a] - 1) / stride[a] + 1;
    if ((out - 1) * stride[a] >= size + before)
      --out;
    padding[2 * a + 1] +=
        std::max<int64_t>(0, (out - 1) * stride[a] + kernel[a] - padded);
  }
}

/// A pooling op ("max_pool2d" or "avg_pool2d") over kernel_size windows,
/// stride defaulting to the kernel, as PyTorch's.
Value buildPool(LayerContext &c, const char *op) {
  c.node.expectObject(
      {"type", "name", "kernel_size", "stride", "padding", "ceil_mode"});
  auto in = imageInput(c, op);
  (void)c.node.at("kernel_size"); // required
  auto kernel = pairAt(c.node, "kernel_size", {1, 1}, 1);
  auto stride = pairAt(c.node, "stride", kernel, 1);
  auto padding = paddingAt(c.node, in, kernel, stride, {1, 1});
  if (c.node.has("ceil_mode") && c.node.at("ceil_mode").boolean()) {
    // An average's divisor would have to leave the overhang out.
    if (std::string(op) != "max_pool2d")
      c.node.at("ceil_mode").fail("ceil_mode is supported by max_pool2d only");
    addCeilModePadding(in, kernel, stride, padding);
  }
  OpBuilder &b = c.g.builder();
  NamedAttrList attrs;
  attrs.set("kernel", b.getDenseI64ArrayAttr(kernel));
  attrs.set("strides", b.getDenseI64ArrayAttr(stride));
  attrs.set("padding", b.getDenseI64ArrayAttr(padding));
  return c.g.create(op, c.x, attrs, std::nullopt, c.node, c.name);
}

} // namespace

Value buildConv2d(LayerContext &c) {
  c.node.expectObject({"type", "name", "filters", "kernel_size", "stride",
                       "padding", "dilation", "groups", "activation",
                       "use_bias", "weight_init", "bias_init"});
  auto in = imageInput(c, "conv2d");
  int64_t filters = c.node.at("filters").integer(1, kMaxElements);
  (void)c.node.at("kernel_size"); // required
  auto kernel = pairAt(c.node, "kernel_size", {1, 1}, 1);
  auto stride = pairAt(c.node, "stride", {1, 1}, 1);
  auto dilation = pairAt(c.node, "dilation", {1, 1}, 1);
  auto padding = paddingAt(c.node, in, kernel, stride, dilation);
  int64_t channels = in.getDimSize(1), groups = 1;
  if (c.node.has("groups")) {
    JNode g = c.node.at("groups");
    groups = g.integer(1, channels);
    if (channels % groups || filters % groups)
      g.fail("groups (" + std::to_string(groups) +
             ") must divide the input channels (" + std::to_string(channels) +
             ") and the filters (" + std::to_string(filters) + ")");
  }
  // PyTorch's fans: fan_in = channels / groups x KH x KW, fan_out =
  // filters x KH x KW.
  int64_t taps = kernel[0] * kernel[1];
  int64_t fanIn = channels / groups * taps, fanOut = filters * taps;
  Value w =
      addParam(c, "weight", {filters, channels / groups, kernel[0], kernel[1]},
               "weight_init", HEBB_INIT_TORCH_DEFAULT, fanIn, fanOut);
  OpBuilder &b = c.g.builder();
  NamedAttrList attrs;
  attrs.set("strides", b.getDenseI64ArrayAttr(stride));
  attrs.set("padding", b.getDenseI64ArrayAttr(padding));
  attrs.set("dilation", b.getDenseI64ArrayAttr(dilation));
  attrs.set("groups", b.getI64IntegerAttr(groups));
  Value y = c.g.create("conv2d", ValueRange{c.x, w}, attrs, std::nullopt,
                       c.node, c.name);
  c.x = addBias(c, y, fanIn, fanOut);
  if (c.node.has("activation"))
    c.x = applyActivation(c, c.node.at("activation"));
  return c.x;
}

Value buildMaxPool2d(LayerContext &c) { return buildPool(c, "max_pool2d"); }

Value buildAvgPool2d(LayerContext &c) { return buildPool(c, "avg_pool2d"); }

/// The mean of each channel: [N, C, H, W] to [N, C] (Keras'
/// GlobalAveragePooling2D; PyTorch's AdaptiveAvgPool2d(1) and a flatten).
Value buildGlobalAvgPool2d(LayerContext &c) {
  c.node.expectObject({"type", "name"});
  imageInput(c, "global_avg_pool2d");
  NamedAttrList attrs;
  attrs.set("axes", c.g.builder().getDenseI64ArrayAttr({2, 3}));
  return c.g.create("reduce_mean", c.x, attrs, std::nullopt, c.node, c.name);
}

/// The same elements per sample in a new shape (one size may be -1: what
/// is left), e.g. [784] to [1, 28, 28].
Value buildReshape(LayerContext &c) {
  c.node.expectObject({"type", "name", "shape"});
  JNode shapeNode = c.node.at("shape");
  std::vector<int64_t> shape = shapeNode.intList(-1, kMaxElements);
  auto in = typeOf(c.x);
  int64_t per = in.getNumElements() / in.getDimSize(0), known = 1, open = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1 && open < 0)
      open = (int64_t)i;
    else if (shape[i] < 1)
      shapeNode.expected("positive sizes and at most one -1");
    else
      known *= shape[i];
  }
  if (open >= 0 && known > 0 && per % known == 0)
    shape[open] = per / known;
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  if (count != per)
    shapeNode.fail("a sample of " + typeString(in) + " has " +
                   std::to_string(per) + " elements, which shape " +
                   shapeNode.json().dump() + " cannot hold");
  shape.insert(shape.begin(), in.getDimSize(0));
  return c.g.create("reshape", c.x, {},
                    RankedTensorType::get(shape, in.getElementType()), c.node,
                    c.name);
}

} // namespace hebb::frontend
