//===- LayersForm.cpp - the Sequential ("layers") model form --------------===//
//
// A Keras-like stack: one input of per-sample shape (the batch dimension is
// prepended), then layers applied in order. Parameters are named
// "<layer name>.<weight|bias>" with PyTorch layouts (dense weight [out, in]).
//
//===----------------------------------------------------------------------===//

#include "frontend/Layers.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace hebb::frontend {
namespace {

struct Activation {
  const char *json, *op;
  const char *attr, *value; // a string attribute of the op, or "", ""
};
constexpr Activation kActivations[] = {
#define HEBB_ACTIVATION(json, op, attr, value) {json, op, attr, value},
#include "frontend/Tables.def"
};

const Activation &activation(const JNode &node) {
  std::string act = node.str();
  std::vector<std::string> names;
  for (const Activation &a : kActivations) {
    if (act == a.json)
      return a;
    names.push_back(a.json);
  }
  node.fail("unknown activation '" + act + "'" + didYouMean(act, names));
}

} // namespace

Value applyActivation(LayerContext &c, const JNode &actNode) {
  const Activation &act = activation(actNode);
  if (!*act.op)
    return c.x;
  OpBuilder &b = c.g.builder();
  NamedAttrList attrs;
  if (*act.attr)
    attrs.set(act.attr, b.getStringAttr(act.value));
  std::string op = act.op;
  if (op == "softmax" || op == "log_softmax")
    attrs.set("axis", b.getI64IntegerAttr(typeOf(c.x).getRank() - 1));
  return c.g.create(op, c.x, attrs, std::nullopt, actNode, c.name);
}

Value addParam(LayerContext &c, const char *suffix, std::vector<int64_t> shape,
               const char *initKey, hebb_init_kind defaultInit, int64_t fanIn,
               int64_t fanOut, bool buffer) {
  ParamSpec p;
  p.name = c.name + "." + suffix;
  checkParamName(p.name, c.node);
  p.shape = std::move(shape);
  p.init = {defaultInit, 0, 0, fanIn, fanOut};
  p.buffer = buffer;
  checkElementCount(p.shape, c.node);
  if (initKey && c.node.has(initKey))
    readInit(c.node.at(initKey), p);
  Value v = c.g.addArgument(
      p.name, tensorType(c.g.context(), p.shape, HEBB_F32), c.node);
  c.model.params.push_back(std::move(p));
  return v;
}

Value buildDense(LayerContext &c) {
  c.node.expectObject({"type", "name", "units", "activation", "use_bias",
                       "weight_init", "bias_init"});
  auto in = typeOf(c.x);
  if (in.getRank() < 2 || !in.getElementType().isF32())
    c.node.fail("dense expects f32 [batch, ..., features], got " +
                typeString(in));
  int64_t units = c.node.at("units").integer(1, kMaxElements);
  const int64_t rank = in.getRank(), features = in.getDimSize(rank - 1);
  SmallVector<int64_t> outShape(in.getShape());
  outShape.back() = units;
  checkElementCount({outShape.begin(), outShape.end()}, c.node.at("units"));
  Value w = addParam(c, "weight", {units, features}, "weight_init",
                     HEBB_INIT_TORCH_DEFAULT, features, units);
  // [batch, ..., features] is applied as [batch·..., features].
  Emit e{c};
  const int64_t rowCount = in.getNumElements() / features;
  Value x = rank == 2 ? c.x : e.reshape(c.x, {rowCount, features});
  Value y = addBias(c, e.linear(x, w), features, units);
  c.x = rank == 2 ? y : e.reshape(y, outShape);
  if (c.node.has("activation"))
    c.x = applyActivation(c, c.node.at("activation"));
  return c.x;
}

Value buildActivation(LayerContext &c) {
  c.node.expectObject({"type", "name", "activation"});
  return applyActivation(c, c.node.at("activation"));
}

Value buildFlatten(LayerContext &c) {
  c.node.expectObject({"type", "name"});
  auto in = typeOf(c.x);
  int64_t rest = 1;
  for (int64_t i = 1; i < in.getRank(); ++i)
    rest *= in.getDimSize(i);
  auto out =
      RankedTensorType::get({in.getDimSize(0), rest}, in.getElementType());
  return c.g.create("reshape", c.x, {}, out, c.node, c.name);
}

/// Identity in @forward; the loss function used for training rewrites it
/// into a random mask (see hebb.dropout).
Value buildDropout(LayerContext &c) {
  c.node.expectObject({"type", "name", "rate"});
  c.node.at("rate"); // required
  NamedAttrList attrs;
  attrs.set("rate", c.g.builder().getF64FloatAttr(readRate(c.node, "rate")));
  return c.g.create("dropout", c.x, attrs, std::nullopt, c.node, c.name);
}

double readEpsilon(const JNode &layer, const char *key) {
  if (!layer.has(key))
    return 1e-5;
  JNode n = layer.at(key);
  double eps = n.number();
  if (!(eps > 0 && eps < 1))
    n.expected("an epsilon in (0, 1)");
  return eps;
}

double readRate(const JNode &layer, const char *key, double otherwise) {
  if (!layer.has(key))
    return otherwise;
  JNode n = layer.at(key);
  double rate = n.number();
  if (!(rate >= 0.0 && rate < 1.0))
    n.expected("a rate in [0, 1)");
  return rate;
}

/// PyTorch's BatchNorm1d on [batch, features] and BatchNorm2d on NCHW
/// (statistics per channel over batch, height and width). @forward normalises
/// with the running statistics; the training loss (Training.cpp) substitutes
/// the batch's and updates the running ones with `momentum`.
Value buildBatchNorm(LayerContext &c) {
  c.node.expectObject({"type", "name", "momentum", "epsilon"});
  auto in = typeOf(c.x);
  if (in.getRank() != 2 && in.getRank() != 4)
    c.node.fail("batch_norm expects [batch, features] or [batch, channels, "
                "height, width], got " +
                typeString(in));
  double momentum = 0.1, eps = readEpsilon(c.node, "epsilon");
  if (c.node.has("momentum")) {
    momentum = c.node.at("momentum").number();
    if (!(momentum >= 0 && momentum <= 1))
      c.node.at("momentum").expected("a momentum in [0, 1]");
  }
  int64_t f = in.getDimSize(1);
  Value gamma = addParam(c, "weight", {f}, nullptr, HEBB_INIT_ONES, f, f);
  Value beta = addParam(c, "bias", {f}, nullptr, HEBB_INIT_ZEROS, f, f);
  Value mean =
      addParam(c, "running_mean", {f}, nullptr, HEBB_INIT_ZEROS, f, f, true);
  Value var =
      addParam(c, "running_var", {f}, nullptr, HEBB_INIT_ONES, f, f, true);
  NamedAttrList attrs;
  OpBuilder &b = c.g.builder();
  attrs.set("epsilon", b.getF64FloatAttr(eps));
  attrs.set("momentum", b.getF64FloatAttr(momentum));
  return c.g.create("batch_norm", ValueRange{c.x, gamma, beta, mean, var},
                    attrs, std::nullopt, c.node, c.name);
}

Value addBias(LayerContext &c, Value y, int64_t fanIn, int64_t fanOut) {
  if (c.node.has("use_bias") && !c.node.at("use_bias").boolean())
    return y;
  int64_t channels = typeOf(y).getDimSize(1);
  Value bias = addParam(c, "bias", {channels}, "bias_init",
                        HEBB_INIT_TORCH_DEFAULT, fanIn, fanOut);
  NamedAttrList bc;
  bc.set("broadcast_dimensions", c.g.builder().getDenseI64ArrayAttr({1}));
  Value wide =
      c.g.create("broadcast_in_dim", bias, bc, typeOf(y), c.node, c.name);
  return c.g.create("add", ValueRange{y, wide}, {}, std::nullopt, c.node,
                    c.name);
}

namespace {

using LayerFn = Value (*)(LayerContext &);
struct LayerEntry {
  const char *name;
  LayerFn build;
};
constexpr LayerEntry kLayers[] = {
#define HEBB_LAYER(name, fn) {name, fn},
#include "frontend/Tables.def"
};

/// One input `{name, shape, dtype}` of per-sample shape.
Value addInput(const JNode &input, GraphBuilder &g, Model &model, bool named) {
  input.expectObject({"name", "shape", "dtype"});
  TensorSpec in;
  in.name = named || input.has("name") ? input.at("name").str() : "x";
  in.shape = readShape(input.at("shape"), model.batch, false);
  in.shape.insert(in.shape.begin(), model.batch);
  checkElementCount(in.shape, input.at("shape"));
  in.dtype = readDtype(input);
  Value x = g.addArgument(in.name, tensorType(g.context(), in.shape, in.dtype),
                          input);
  model.inputs.push_back(in);
  return x;
}

} // namespace

Value namedInput(LayerContext &c, const char *key) {
  JNode n = c.node.at(key);
  std::string name = n.str();
  std::vector<std::string> names;
  for (const TensorSpec &in : c.model.inputs)
    if (in.name == name)
      return c.g.lookup(name, n);
    else
      names.push_back(in.name);
  n.fail("unknown input '" + name + "'" + didYouMean(name, names));
}

/// "input", or "inputs" where the first feeds the first layer and layers
/// name the others (a mask).
void buildLayers(const JNode &root, GraphBuilder &g, Model &model) {
  if (root.has("input") == root.has("inputs"))
    root.fail(root.has("input") ? "give either \"input\" or \"inputs\", "
                                  "not both"
                                : "missing \"input\" or \"inputs\"");
  Value x;
  if (root.has("input")) {
    x = addInput(root.at("input"), g, model, false);
  } else {
    JNode list = root.at("inputs");
    list.expectArray();
    if (list.size() == 0)
      list.fail("expected at least one input");
    for (size_t i = 0; i < list.size(); ++i) {
      Value v = addInput(list.item(i), g, model, true);
      if (i == 0)
        x = v;
    }
  }

  JNode layers = root.at("layers");
  layers.expectArray();
  if (layers.size() == 0)
    layers.fail("expected at least one layer");
  std::vector<std::string> types;
  for (const LayerEntry &e : kLayers)
    types.push_back(e.name);
  for (size_t i = 0; i < layers.size(); ++i) {
    JNode layer = layers.item(i);
    if (!layer.json().is_object())
      layer.expected("a layer object");
    JNode typeNode = layer.at("type");
    std::string type = typeNode.str();
    const LayerEntry *entry = nullptr;
    for (const LayerEntry &e : kLayers)
      if (type == e.name)
        entry = &e;
    if (!entry) {
      typeNode.fail("unknown layer type '" + type + "'" +
                    didYouMean(type, types));
    }
    std::string name =
        layer.has("name") ? layer.at("name").str() : type + std::to_string(i);
    LayerContext c{g, model, layer, name, x};
    x = entry->build(c);
    auto shape = typeOf(x).getShape();
    model.layers.push_back({name, type, {shape.begin(), shape.end()}});
  }
  g.define("output", x, layers);
  g.finish({{"output", root}});
}

} // namespace hebb::frontend
