//===- SequenceLayers.cpp - layers of the layers form for sequences -------===//
//
// Token ids in, vectors out: `embedding` (PyTorch's nn.Embedding, its table
// `NAME.weight` [num_embeddings, embedding_dim]). Recurrent layers `rnn`,
// `lstm` and `gru` (PyTorch's nn.RNN, nn.LSTM, nn.GRU with batch_first,
// their parameter names and gate orders) are one hebb.scan per direction
// and layer: the cell is its body, so backpropagation through time is what
// autodiff derives (a reversed scan), with nothing written per cell, and
// the program compiles in the same time whatever the sequence's length.
// The input projections of all steps are one matrix product before it.
//
//===----------------------------------------------------------------------===//

#include "frontend/Layers.h"
#include "ir/HebbDialect.h"

using namespace mlir;

namespace hebb::frontend {

RankedTensorType sequenceInput(LayerContext &c) {
  auto in = typeOf(c.x);
  if (in.getRank() != 3 || !in.getElementType().isF32())
    c.node.fail(c.node.at("type").str() +
                " expects a sequence [batch, steps, features] of f32, got " +
                typeString(in));
  return in;
}

Value sequenceMask(LayerContext &c, int64_t batch, int64_t steps) {
  if (!c.node.has("mask"))
    return {};
  Value m = namedInput(c, "mask");
  auto t = typeOf(m);
  if (t.getRank() != 2 || !t.getElementType().isF32() ||
      t.getDimSize(0) != batch || t.getDimSize(1) != steps)
    c.node.at("mask").fail("a mask is f32 [batch, steps] = [" +
                           std::to_string(batch) + ", " +
                           std::to_string(steps) + "], got " + typeString(t));
  return m;
}

namespace {

enum class Cell { tanh, relu, lstm, gru };

int64_t gateCount(Cell cell) {
  return cell == Cell::lstm ? 4 : cell == Cell::gru ? 3 : 1;
}

/// One direction of one layer: PyTorch's weight_ih_l<k>[_reverse] [G·H,
/// in], weight_hh [G·H, H], bias_ih and bias_hh [G·H], all U(±1/√H).
struct Direction {
  Value wih, whh, bih, bhh;
};

Direction addDirection(LayerContext &c, Cell cell, int64_t layer, bool reverse,
                       int64_t in, int64_t h) {
  std::string sfx = "_l" + std::to_string(layer) + (reverse ? "_reverse" : "");
  int64_t g = gateCount(cell) * h;
  auto param = [&](const std::string &what, std::vector<int64_t> shape) {
    return addParam(c, (what + sfx).c_str(), std::move(shape), nullptr,
                    HEBB_INIT_TORCH_DEFAULT, h, g);
  };
  Direction d;
  d.wih = param("weight_ih", {g, in});
  d.whh = param("weight_hh", {g, h});
  d.bih = param("bias_ih", {g});
  d.bhh = param("bias_hh", {g});
  return d;
}

/// One direction's outputs at every step [B, T, H] (in time order,
/// however the direction runs) and its state after its last step [B, H].
struct Run {
  Value outputs, last;
};

/// One step of the cell: the next (hidden, cell) state from the step's
/// input projection `xt` [B, G·H], the states and the recurrent weights
/// (`whhT`: weight_hh transposed, [H, G·H]).
/// With `keep` (the step's mask across the state) a padded step holds the
/// state: before + keep · (now − before).
std::pair<Value, Value> cellStep(Emit &e, Cell cell, Value xt, Value state,
                                 Value cellState, Value whhT, Value bhh,
                                 Value keep) {
  const int64_t batch = typeOf(xt).getDimSize(0),
                h = typeOf(state).getDimSize(1);
  Value hp = e.add(e.matmul(state, whhT, false, false), e.rows(bhh, batch));
  auto hold = [&](Value now, Value before) {
    return keep ? e.add(before, e.mul(keep, e.sub(now, before))) : now;
  };
  switch (cell) {
  case Cell::tanh:
    return {hold(e.tanh(e.add(xt, hp)), state), Value()};
  case Cell::relu:
    return {hold(e.op("relu", e.add(xt, hp)), state), Value()};
  case Cell::lstm: {
    Value gates = e.add(xt, hp);
    Value in = e.sigmoid(e.cols(gates, 0, h)),
          forget = e.sigmoid(e.cols(gates, h, 2 * h)),
          cand = e.tanh(e.cols(gates, 2 * h, 3 * h)),
          outg = e.sigmoid(e.cols(gates, 3 * h, 4 * h));
    Value next = e.add(e.mul(forget, cellState), e.mul(in, cand));
    return {hold(e.mul(outg, e.tanh(next)), state), hold(next, cellState)};
  }
  case Cell::gru: {
    Value r = e.sigmoid(e.add(e.cols(xt, 0, h), e.cols(hp, 0, h)));
    Value z = e.sigmoid(e.add(e.cols(xt, h, 2 * h), e.cols(hp, h, 2 * h)));
    Value n = e.tanh(
        e.add(e.cols(xt, 2 * h, 3 * h), e.mul(r, e.cols(hp, 2 * h, 3 * h))));
    Value one = e.splat({batch, h}, 1);
    return {hold(e.add(e.mul(e.sub(one, z), n), e.mul(z, state)), state),
            Value()};
  }
  }
  return {};
}

/// The direction over `x` [B, T, I] from zero states, as one hebb.scan over
/// the steps: the input projections of all steps are one product before
/// it. With a `mask` [B, T] a padded step holds the state and outputs
/// zeros, as PyTorch's packed sequences.
Run runDirection(Emit &e, Cell cell, const Direction &d, Value x, Value mask,
                 int64_t h, bool reverse) {
  ArrayRef<int64_t> s = typeOf(x).getShape();
  const int64_t batch = s[0], steps = s[1], g = gateCount(cell) * h;
  const bool lstm = cell == Cell::lstm;
  // Every step's input projection in one product, time-major: [T, B, G·H].
  Value xp = e.linear(e.reshape(x, {batch * steps, s[2]}), d.wih);
  xp = e.reshape(e.add(xp, e.rows(d.bih, batch * steps)), {batch, steps, g});
  SmallVector<Value> seqs = {e.transpose(xp, {1, 0, 2})};
  if (mask)
    seqs.push_back(e.transpose(mask, {1, 0}));
  SmallVector<Value> carries = {e.splat({batch, h}, 0)};
  if (lstm)
    carries.push_back(e.splat({batch, h}, 0));
  // Wᵀ once per step program: each step reads it row by row (and the
  // adjoint, through hebb.scan's canonicalization, W itself).
  SmallVector<Value> invariants = {e.transpose(d.whh, {1, 0}), d.bhh};

  OpBuilder &b = e.b();
  Location loc = NameLoc::get(b.getStringAttr(e.c.name));
  auto block = std::make_unique<Block>();
  for (Value v : seqs) {
    auto t = typeOf(v);
    block->addArgument(
        RankedTensorType::get(t.getShape().drop_front(), t.getElementType()),
        loc);
  }
  for (Value v : llvm::concat<Value>(carries, invariants))
    block->addArgument(v.getType(), loc);
  OpBuilder::InsertPoint outside = b.saveInsertionPoint();
  b.setInsertionPointToEnd(block.get());
  const unsigned nSeq = seqs.size(), nCarry = carries.size();
  Value keep =
      mask ? e.broadcast(block->getArgument(1), {0}, {batch, h}) : Value();
  auto [state, cellState] =
      cellStep(e, cell, block->getArgument(0), block->getArgument(nSeq),
               lstm ? block->getArgument(nSeq + 1) : Value(),
               block->getArgument(nSeq + nCarry),
               block->getArgument(nSeq + nCarry + 1), keep);
  SmallVector<Value> yields = {keep ? e.mul(keep, state) : state, state};
  if (lstm)
    yields.push_back(cellState);
  b.create<YieldOp>(loc, yields);
  b.restoreInsertionPoint(outside);
  SmallVector<Type> types = {
      RankedTensorType::get({steps, batch, h}, b.getF32Type())};
  for (Value v : carries)
    types.push_back(v.getType());
  auto scan = b.create<ScanOp>(loc, types, seqs, carries, invariants,
                               b.getBoolAttr(reverse));
  scan.getBody().push_back(block.release());
  return {e.transpose(scan.getResult(0), {1, 0, 2}), scan.getResult(1)};
}

Value buildRecurrent(LayerContext &c, Cell cell) {
  if (cell == Cell::tanh)
    c.node.expectObject({"type", "name", "hidden_size", "num_layers",
                         "bidirectional", "return_sequences", "mask", "dropout",
                         "nonlinearity"});
  else
    c.node.expectObject({"type", "name", "hidden_size", "num_layers",
                         "bidirectional", "return_sequences", "mask",
                         "dropout"});
  auto in = sequenceInput(c);
  Value mask = sequenceMask(c, in.getDimSize(0), in.getDimSize(1));
  if (cell == Cell::tanh && c.node.has("nonlinearity")) {
    JNode act = c.node.at("nonlinearity");
    std::string a = act.str();
    if (a == "relu")
      cell = Cell::relu;
    else if (a != "tanh")
      act.expected("\"tanh\" or \"relu\"");
  }
  const int64_t h = c.node.at("hidden_size").integer(1, 1 << 20);
  const int64_t layers =
      c.node.has("num_layers") ? c.node.at("num_layers").integer(1, 64) : 1;
  const bool both =
      c.node.has("bidirectional") && c.node.at("bidirectional").boolean();
  const bool sequences =
      c.node.has("return_sequences") && c.node.at("return_sequences").boolean();
  Emit e{c};
  Value x = c.x;
  const double rate = readRate(c.node, "dropout");
  Run fwd, bwd;
  for (int64_t l = 0; l < layers; ++l) {
    const int64_t width = typeOf(x).getDimSize(2);
    fwd = runDirection(e, cell, addDirection(c, cell, l, false, width, h), x,
                       mask, h, false);
    if (both)
      bwd = runDirection(e, cell, addDirection(c, cell, l, true, width, h), x,
                         mask, h, true);
    x = both ? e.concat(ValueRange{fwd.outputs, bwd.outputs}, 2) : fwd.outputs;
    // PyTorch's `dropout`: on every layer's outputs but the last's.
    if (l + 1 < layers)
      x = e.dropout(x, rate);
  }
  if (sequences)
    return x;
  // The last states: the forward direction's after the last (real) step,
  // the backward one's after the first (as PyTorch's h_n).
  return both ? e.concat(ValueRange{fwd.last, bwd.last}, 1) : fwd.last;
}

} // namespace

/// (x − mean) / √(var + ε) · weight + bias over the last axis, the
/// variance biased.
Value layerNorm(LayerContext &c, Value x, const std::string &prefix,
                double eps) {
  auto in = typeOf(x);
  const int64_t rank = in.getRank(), d = in.getDimSize(rank - 1);
  ArrayRef<int64_t> shape = in.getShape();
  Emit e{c};
  SmallVector<int64_t> lead;
  for (int64_t i = 0; i + 1 < rank; ++i)
    lead.push_back(i);
  // The mean over the last axis, back along it.
  auto lastMean = [&](Value v) {
    NamedAttrList a;
    a.set("axes", e.b().getDenseI64ArrayAttr({rank - 1}));
    return e.broadcast(e.op("reduce_mean", v, a), lead, shape);
  };
  Value centred = e.sub(x, lastMean(x));
  Value var = lastMean(e.mul(centred, centred));
  Value scale = e.op("rsqrt", e.add(var, e.splat(shape, float(eps))));
  Value w = addParam(c, (prefix + "weight").c_str(), {d}, nullptr,
                     HEBB_INIT_ONES, d, d);
  Value bias = addParam(c, (prefix + "bias").c_str(), {d}, nullptr,
                        HEBB_INIT_ZEROS, d, d);
  return e.add(e.mul(e.mul(centred, scale), e.broadcast(w, {rank - 1}, shape)),
               e.broadcast(bias, {rank - 1}, shape));
}

/// PyTorch's LayerNorm over the last axis: weight ones and bias zeros [D].
Value buildLayerNorm(LayerContext &c) {
  c.node.expectObject({"type", "name", "epsilon"});
  auto in = typeOf(c.x);
  if (in.getRank() < 2 || !in.getElementType().isF32())
    c.node.fail("layer_norm expects [batch, ..., features] of f32, got " +
                typeString(in));
  return layerNorm(c, c.x, "", readEpsilon(c.node, "epsilon"));
}

/// [B, T, F] -> [B, F] over the steps: their mean, maximum, or the last
/// one. With a mask only real steps count: the mean divides by their
/// number (at least 1), the maximum skips padding (a sample with no real
/// step gets −1e30), `last` is the last real step.
Value buildSequencePool(LayerContext &c) {
  c.node.expectObject({"type", "name", "mode", "mask"});
  auto in = sequenceInput(c);
  const int64_t batch = in.getDimSize(0), steps = in.getDimSize(1),
                width = in.getDimSize(2);
  Value mask = sequenceMask(c, batch, steps);
  JNode modeNode = c.node.at("mode");
  const std::string mode = modeNode.str();
  Emit e{c};
  auto overSteps = [&](const char *op, Value v) {
    NamedAttrList a;
    a.set("axes", e.b().getDenseI64ArrayAttr({1}));
    return e.op(op, v, a);
  };
  auto across = [&](Value m) {
    return e.broadcast(m, {0, 1}, {batch, steps, width});
  };
  if (mode == "mean") {
    if (!mask)
      return overSteps("reduce_mean", c.x);
    Value count = e.op("maximum", ValueRange{overSteps("reduce_sum", mask),
                                             e.splat({batch}, 1)});
    return e.op("div",
                ValueRange{overSteps("reduce_sum", e.mul(c.x, across(mask))),
                           e.broadcast(count, {0}, {batch, width})});
  }
  if (mode == "max") {
    Value x = c.x;
    if (mask) // padding pushed 1e30 down
      x = e.add(
          x, across(e.scale(e.sub(mask, e.splat({batch, steps}, 1)), 1e30f)));
    return overSteps("reduce_max", x);
  }
  if (mode != "last")
    modeNode.expected("\"mean\", \"max\" or \"last\"");
  if (!mask)
    return e.reshape(e.slice(c.x, {0, steps - 1, 0}, {batch, steps, width}),
                     {batch, width});
  // Step t is the last real one where mask[t] = 1 and mask[t + 1] = 0.
  Value next = e.splat({batch, 1}, 0);
  if (steps > 1)
    next = e.concat(ValueRange{e.slice(mask, {0, 1}, {batch, steps}), next}, 1);
  Value last = e.mul(mask, e.sub(e.splat({batch, steps}, 1), next));
  return overSteps("reduce_sum", e.mul(c.x, across(last)));
}

Value buildRnn(LayerContext &c) { return buildRecurrent(c, Cell::tanh); }
Value buildLstm(LayerContext &c) { return buildRecurrent(c, Cell::lstm); }
Value buildGru(LayerContext &c) { return buildRecurrent(c, Cell::gru); }

/// Row ids[...] of the table for every token id: [batch, ...] i32 ->
/// [batch, ..., embedding_dim]. An id outside [0, num_embeddings) gives a
/// zero vector. The table starts N(0, 1), as PyTorch's. The padding_idx
/// row starts as zeros and is neither read nor trained: its id is mapped
/// past the table.
Value buildEmbedding(LayerContext &c) {
  c.node.expectObject({"type", "name", "num_embeddings", "embedding_dim",
                       "weight_init", "padding_idx"});
  auto in = typeOf(c.x);
  if (!in.getElementType().isInteger(32))
    c.node.fail("embedding expects token ids (an input with \"dtype\": "
                "\"i32\"), got " +
                typeString(in));
  int64_t rows = c.node.at("num_embeddings").integer(1, kMaxElements);
  int64_t dim = c.node.at("embedding_dim").integer(1, kMaxElements);
  Value table = addParam(c, "weight", {rows, dim}, "weight_init",
                         HEBB_INIT_NORMAL, rows, dim);
  if (!c.node.has("weight_init"))
    c.model.params.back().init.b = 1.0; // N(0, 1)
  SmallVector<int64_t> shape(in.getShape());
  shape.push_back(dim);
  checkElementCount(std::vector<int64_t>(shape.begin(), shape.end()), c.node);
  Value ids = c.x;
  if (c.node.has("padding_idx")) {
    // PyTorch's range: a negative index counts from the end.
    int64_t pad = c.node.at("padding_idx").integer(-rows, rows - 1);
    pad += pad < 0 ? rows : 0;
    c.model.params.back().zeroRow = pad;
    Emit e{c};
    auto i32 = [&](int64_t v) {
      NamedAttrList a;
      a.set("value", DenseElementsAttr::get(in, int32_t(v)));
      return e.op("constant", {}, a);
    };
    NamedAttrList eq;
    eq.set("predicate",
           CmpPredicateAttr::get(&c.g.context(), CmpPredicate::eq));
    ids = e.op("select",
               ValueRange{e.op("compare", ValueRange{ids, i32(pad)}, eq),
                          i32(-1), ids});
  }
  return c.g.create("gather", ValueRange{table, ids}, {}, std::nullopt, c.node,
                    c.name);
}

} // namespace hebb::frontend
