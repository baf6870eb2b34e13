//===- AttentionLayers.cpp - attention and transformer layers -------------===//
//
// Self-attention as PyTorch's nn.MultiheadAttention (batch_first, query =
// key = value), `multi_head_attention`; nn.TransformerEncoderLayer
// (batch_first), `transformer_encoder_layer`; both with PyTorch's parameter
// names. Positional encodings (a learned table or the fixed sinusoids of
// "Attention is all you need") added to a [batch, steps, features]
// sequence. The heads are a batch dimension: the scores and the weighted
// values of all heads of all samples are one batched product each.
//
//===----------------------------------------------------------------------===//

#include "frontend/Layers.h"

#include <cmath>

using namespace mlir;

namespace hebb::frontend {

namespace {

struct Attention {
  int64_t heads;
  bool causal;
  double dropout; // on the attention weights
  Value mask;     // [B, T]: keys at 0 are padding, or null
};

/// A head count that divides the features (`embed_dim`, given under `key`).
int64_t readHeads(LayerContext &c, const char *key, int64_t features) {
  JNode n = c.node.at(key);
  int64_t heads = n.integer(1, features);
  if (features % heads)
    n.fail(std::string(key) + " " + std::to_string(heads) +
           " does not divide the " + std::to_string(features) + " features");
  return heads;
}

/// The features a layer's `key` (embed_dim, d_model) names, when given,
/// must be the input's.
void checkWidth(LayerContext &c, const char *key, int64_t features) {
  if (!c.node.has(key))
    return;
  JNode n = c.node.at(key);
  const int64_t given = n.integer(1, kMaxElements);
  if (given != features)
    n.fail(std::string(key) + " " + std::to_string(given) +
           " differs from the input's " + std::to_string(features) +
           " features");
}

/// [T, T] with −∞ above the diagonal: step i sees steps ≤ i.
Value causalMask(Emit &e, int64_t steps) {
  std::vector<float> mask(size_t(steps * steps), 0.f);
  for (int64_t i = 0; i < steps; ++i)
    for (int64_t j = i + 1; j < steps; ++j)
      mask[size_t(i * steps + j)] = -INFINITY;
  return e.constant({steps, steps}, mask);
}

/// Self-attention of x [B, T, E] with PyTorch's parameters under `prefix`:
/// in_proj_weight [3E, E] (Glorot uniform) and in_proj_bias [3E] (zeros)
/// for q, k, v; out_proj.weight [E, E] (U(±1/√E)) and out_proj.bias
/// (zeros). softmax(q kᵀ / √D [+ causal mask]) v per head of D = E / H.
Value selfAttention(LayerContext &c, Value x, const std::string &prefix,
                    const Attention &a) {
  Emit e{c};
  ArrayRef<int64_t> s = typeOf(x).getShape();
  const int64_t batch = s[0], steps = s[1], width = s[2], heads = a.heads,
                d = width / heads, rows = batch * steps, bh = batch * heads;
  auto param = [&](const char *name, std::vector<int64_t> shape,
                   hebb_init_kind init, int64_t fanOut) {
    return addParam(c, (prefix + name).c_str(), std::move(shape), nullptr, init,
                    width, fanOut);
  };
  Value win = param("in_proj_weight", {3 * width, width},
                    HEBB_INIT_GLOROT_UNIFORM, 3 * width);
  Value bin = param("in_proj_bias", {3 * width}, HEBB_INIT_ZEROS, 3 * width);
  Value wout =
      param("out_proj.weight", {width, width}, HEBB_INIT_TORCH_DEFAULT, width);
  Value bout = param("out_proj.bias", {width}, HEBB_INIT_ZEROS, width);
  Value qkv =
      e.add(e.linear(e.reshape(x, {rows, width}), win), e.rows(bin, rows));
  // [B·T, 3E] as [3, B, H, T, D]: q, k and v with the heads as batches.
  Value split =
      e.transpose(e.reshape(qkv, {batch, steps, 3, heads, d}), {2, 0, 3, 1, 4});
  auto part = [&](int64_t i) {
    return e.reshape(
        e.slice(split, {i, 0, 0, 0, 0}, {i + 1, batch, heads, steps, d}),
        {bh, steps, d});
  };
  Value q = part(0), k = part(1), v = part(2);
  Value scores = e.scale(e.matmul(q, k, false, true), 1.0f / std::sqrt(d));
  if (a.causal)
    scores = e.add(
        scores, e.broadcast(causalMask(e, steps), {1, 2}, {bh, steps, steps}));
  if (a.mask) {
    // Padded keys pushed 1e30 down: PyTorch's key_padding_mask.
    Value down = e.scale(e.sub(a.mask, e.splat({batch, steps}, 1)), 1e30f);
    down = e.broadcast(down, {0, 3}, {batch, heads, steps, steps});
    scores = e.add(scores, e.reshape(down, {bh, steps, steps}));
  }
  Value weights = e.dropout(e.softmax(scores, 2), a.dropout);
  Value o = e.matmul(weights, v, false, false); // [B·H, T, D]
  o = e.reshape(
      e.transpose(e.reshape(o, {batch, heads, steps, d}), {0, 2, 1, 3}),
      {rows, width});
  return e.reshape(e.add(e.linear(o, wout), e.rows(bout, rows)),
                   {batch, steps, width});
}

bool readFlag(const JNode &layer, const char *key) {
  return layer.has(key) && layer.at(key).boolean();
}

} // namespace

Value linearLayer(LayerContext &c, Value x, const std::string &prefix,
                  int64_t out) {
  Emit e{c};
  auto in = typeOf(x);
  const int64_t features = in.getShape().back(),
                rows = in.getNumElements() / features;
  Value w = addParam(c, (prefix + "weight").c_str(), {out, features}, nullptr,
                     HEBB_INIT_TORCH_DEFAULT, features, out);
  Value b = addParam(c, (prefix + "bias").c_str(), {out}, nullptr,
                     HEBB_INIT_TORCH_DEFAULT, features, out);
  SmallVector<int64_t> shape(in.getShape());
  shape.back() = out;
  Value flat = in.getRank() == 2 ? x : e.reshape(x, {rows, features});
  Value y = e.add(e.linear(flat, w), e.rows(b, rows));
  return in.getRank() == 2 ? y : e.reshape(y, shape);
}

/// nn.MultiheadAttention(embed_dim, num_heads, dropout, batch_first=True)
/// applied as self-attention, with the causal mask when `causal`.
Value buildMultiHeadAttention(LayerContext &c) {
  c.node.expectObject(
      {"type", "name", "embed_dim", "num_heads", "causal", "dropout", "mask"});
  auto in = sequenceInput(c);
  const int64_t width = in.getDimSize(2);
  checkWidth(c, "embed_dim", width);
  Attention a{readHeads(c, "num_heads", width), readFlag(c.node, "causal"),
              readRate(c.node, "dropout"),
              sequenceMask(c, in.getDimSize(0), in.getDimSize(1))};
  return selfAttention(c, c.x, "", a);
}

/// nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout,
/// activation, layer_norm_eps, batch_first=True, norm_first): a residual
/// self-attention block and a residual feed-forward block, each normalised
/// after (or, with norm_first, before) it.
Value buildTransformerEncoderLayer(LayerContext &c) {
  c.node.expectObject({"type", "name", "d_model", "nhead", "dim_feedforward",
                       "dropout", "activation", "layer_norm_eps", "norm_first",
                       "causal", "mask"});
  auto in = sequenceInput(c);
  const int64_t width = in.getDimSize(2);
  checkWidth(c, "d_model", width);
  const double rate = readRate(c.node, "dropout", 0.1);
  Attention a{readHeads(c, "nhead", width), readFlag(c.node, "causal"), rate,
              sequenceMask(c, in.getDimSize(0), in.getDimSize(1))};
  const int64_t hidden =
      c.node.has("dim_feedforward")
          ? c.node.at("dim_feedforward").integer(1, kMaxElements)
          : 2048;
  checkElementCount({in.getDimSize(0), in.getDimSize(1), hidden}, c.node);
  std::string act = "relu";
  if (c.node.has("activation")) {
    JNode n = c.node.at("activation");
    act = n.str();
    if (act != "relu" && act != "gelu")
      n.expected("\"relu\" or \"gelu\"");
  }
  const double eps = readEpsilon(c.node, "layer_norm_eps");
  Emit e{c};
  auto attend = [&](Value v) {
    return e.dropout(selfAttention(c, v, "self_attn.", a), rate);
  };
  auto feedForward = [&](Value v) {
    Value h = e.op(act.c_str(), linearLayer(c, v, "linear1.", hidden));
    return e.dropout(linearLayer(c, e.dropout(h, rate), "linear2.", width),
                     rate);
  };
  Value x = c.x;
  if (readFlag(c.node, "norm_first")) {
    x = e.add(x, attend(layerNorm(c, x, "norm1.", eps)));
    return e.add(x, feedForward(layerNorm(c, x, "norm2.", eps)));
  }
  x = layerNorm(c, e.add(x, attend(x)), "norm1.", eps);
  return layerNorm(c, e.add(x, feedForward(x)), "norm2.", eps);
}

/// x + P for a table P [steps, features] added to every sample: learned
/// (`NAME.weight`, N(0, 1) like the nn.Embedding of positions it stands
/// for), or sin(t / 10000^(2i/E)) in column 2i and cos in 2i + 1.
Value buildPositionalEncoding(LayerContext &c) {
  c.node.expectObject({"type", "name", "kind", "weight_init"});
  auto in = sequenceInput(c);
  const int64_t steps = in.getDimSize(1), width = in.getDimSize(2);
  JNode kindNode = c.node.at("kind");
  const std::string kind = kindNode.str();
  Emit e{c};
  Value table;
  if (kind == "learned") {
    table = addParam(c, "weight", {steps, width}, "weight_init",
                     HEBB_INIT_NORMAL, steps, width);
    if (!c.node.has("weight_init"))
      c.model.params.back().init.b = 1.0; // N(0, 1)
  } else if (kind == "sinusoidal") {
    if (c.node.has("weight_init"))
      c.node.at("weight_init").fail("a sinusoidal encoding has no weights");
    std::vector<float> p(size_t(steps * width));
    for (int64_t t = 0; t < steps; ++t)
      for (int64_t i = 0; i < width; ++i) {
        double angle =
            double(t) / std::pow(10000.0, double(i - i % 2) / double(width));
        p[size_t(t * width + i)] =
            float(i % 2 ? std::cos(angle) : std::sin(angle));
      }
    table = e.constant({steps, width}, p);
  } else {
    kindNode.expected("\"learned\" or \"sinusoidal\"");
  }
  return e.add(c.x, e.broadcast(table, {1, 2}, in.getShape()));
}

} // namespace hebb::frontend
