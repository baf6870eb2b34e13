//===- Training.cpp - the "training" section: loss and optimiser ----------===//
//
// Builds @loss(inputs..., labels, params...) = loss(forward(...), labels)
// next to @forward, and records the optimiser settings on it as the
// `hebb.optimizer` dictionary the hebb-optimizer pass reads. Losses are
// compositions of hebb ops, so autodiff needs nothing special for them.
//
//===----------------------------------------------------------------------===//

#include "frontend/Forms.h"
#include "hebb/model.h"

#include "ir/HebbDialect.h"
#include "ir/Optimizers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"

#include <cmath>

using namespace mlir;

namespace hebb::frontend {

double Schedule::at(double lr, int64_t epoch) const {
  return hebb_schedule_lr((hebb_schedule_kind)kind, lr, epoch, stepSize, gamma,
                          period, minLr);
}

namespace {

struct LossEntry {
  const char *name;
  bool indexLabels;
};
constexpr LossEntry kLosses[] = {
#define HEBB_LOSS(name, index) {name, index},
#include "frontend/Tables.def"
};

/// Hebb op helpers for building losses.
class LossBuilder {
public:
  LossBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value splat(Value like, double v) {
    auto t = like.getType().cast<RankedTensorType>();
    return b.create<ConstantOp>(loc, DenseElementsAttr::get(t, (float)v));
  }
  Value sumAll(Value v) {
    auto t = v.getType().cast<RankedTensorType>();
    SmallVector<int64_t> axes;
    for (int64_t i = 0; i < t.getRank(); ++i)
      axes.push_back(i);
    return b.create<ReduceSumOp>(loc, v, b.getDenseI64ArrayAttr(axes),
                                 b.getBoolAttr(false));
  }
  /// Sum (or mean over `count` items) of all elements of `v`.
  Value reduce(Value v, bool mean, int64_t count) {
    Value s = sumAll(v);
    if (!mean)
      return s;
    return b.create<MulOp>(loc, s, splat(s, 1.0 / (double)count));
  }
  /// Per-sample sum over the class axis (1) of t * v: [B, C] -> [B].
  Value rowDot(Value t, Value v) {
    Value p = b.create<MulOp>(loc, t, v);
    return b.create<ReduceSumOp>(loc, p, b.getDenseI64ArrayAttr({1}),
                                 b.getBoolAttr(false));
  }
  /// max(log p, -100) without a 0/0 in its derivative: the log only sees
  /// arguments above e^-100 and the clamped branch is a constant.
  Value logAtLeast100(Value p) {
    Value tiny = splat(p, std::exp(-100.0));
    Value ok = b.create<CompareOp>(loc, CmpPredicate::gt, p, tiny);
    Value safe = b.create<SelectOp>(loc, ok, p, splat(p, 1));
    return b.create<SelectOp>(loc, ok, b.create<LogOp>(loc, safe),
                              splat(p, -100));
  }
  Value clampLog(Value p, double lo, double hi) {
    Value c = b.create<MinimumOp>(
        loc, b.create<MaximumOp>(loc, p, splat(p, lo)), splat(p, hi));
    return b.create<LogOp>(loc, c);
  }

  OpBuilder &b;
  Location loc;
};

Value buildLoss(LossBuilder &lb, const std::string &kind, bool mean,
                Value out, Value labels) {
  OpBuilder &b = lb.b;
  Location loc = lb.loc;
  auto outType = out.getType().cast<RankedTensorType>();
  int64_t batch = outType.getDimSize(0);
  int64_t all = outType.getNumElements();
  // Class-probability losses take labels as indices or as distributions.
  auto asDistribution = [&](Value l) -> Value {
    auto lt = l.getType().cast<RankedTensorType>();
    if (lt.getElementType().isF32())
      return l;
    return b.create<OneHotOp>(loc, l, b.getI64IntegerAttr(outType.getDimSize(1)));
  };
  if (kind == "mse" || kind == "sum_of_squares") {
    Value d = b.create<SubOp>(loc, out, labels);
    Value sq = b.create<MulOp>(loc, d, d);
    return lb.reduce(sq, kind == "mse" ? mean : false, all);
  }
  if (kind == "mae" || kind == "l1")
    return lb.reduce(b.create<AbsOp>(loc, b.create<SubOp>(loc, out, labels)),
                     mean, all);
  if (kind == "bce") {
    // -(t log p + (1 - t) log(1 - p)), logs clamped at -100 like PyTorch.
    Value one = lb.splat(out, 1);
    Value logP = lb.logAtLeast100(out);
    Value log1mP = lb.logAtLeast100(b.create<SubOp>(loc, one, out));
    Value term = b.create<AddOp>(
        loc, b.create<MulOp>(loc, labels, logP),
        b.create<MulOp>(loc, b.create<SubOp>(loc, one, labels), log1mP));
    return b.create<NegOp>(loc, lb.reduce(term, mean, all));
  }
  if (kind == "bce_with_logits") {
    // max(z, 0) - z t + log(1 + exp(-|z|)), stable for any z.
    Value zero = lb.splat(out, 0);
    Value softplus = b.create<LogOp>(
        loc, b.create<AddOp>(loc, lb.splat(out, 1),
                             b.create<ExpOp>(loc, b.create<NegOp>(
                                                      loc, b.create<AbsOp>(loc, out)))));
    Value term = b.create<AddOp>(
        loc,
        b.create<SubOp>(loc, b.create<MaximumOp>(loc, out, zero),
                        b.create<MulOp>(loc, out, labels)),
        softplus);
    return lb.reduce(term, mean, all);
  }
  Value logProbs;
  if (kind == "softmax_cross_entropy")
    logProbs = b.create<LogSoftmaxOp>(loc, out, b.getI64IntegerAttr(1));
  else if (kind == "nll")
    logProbs = out;
  else // categorical_crossentropy on probabilities, clipped like Keras
    logProbs = lb.clampLog(out, 1e-7, 1 - 1e-7);
  Value perSample = lb.rowDot(asDistribution(labels), logProbs);
  return b.create<NegOp>(loc, lb.reduce(perSample, mean, batch));
}

NamedAttrList readOptimizer(const JNode &node, TrainingSpec &spec,
                            OpBuilder &b) {
  JNode kindNode = node.at("kind");
  std::string kind = kindNode.str();
  const optim::Optimizer *entry = optim::find(kind);
  if (!entry) {
    std::vector<std::string> names;
    for (const optim::Optimizer &o : optim::optimizers())
      names.push_back(o.name);
    kindNode.fail("unknown optimizer '" + kind + "'" + didYouMean(kind, names));
  }
  spec.optimizer = kind;
  std::vector<std::string> allowed = {"kind", "lr", "schedule"};
  for (const optim::Setting &s : optim::settings())
    allowed.push_back(s.name);
  for (const optim::HyperParam &p : entry->params)
    allowed.push_back(p.name);
  for (auto it = node.json().begin(); it != node.json().end(); ++it)
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      node.at(it.key().c_str())
          .fail("optimizer '" + kind + "' has no setting '" + it.key() + "'" +
                didYouMean(it.key(), allowed));
  NamedAttrList attrs;
  attrs.set("kind", b.getStringAttr(kind));
  auto number = [&](const char *key, double fallback, double lo, double hi) {
    if (!node.has(key))
      return fallback;
    JNode n = node.at(key);
    double v = n.number();
    if (v < lo || v > hi)
      n.expected("a number in [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
    return v;
  };
  spec.lr = number("lr", entry->lr, 0, 1e6);
  for (const optim::HyperParam &p : entry->params)
    attrs.set(p.name, b.getF64FloatAttr(number(p.name, p.value, 0, 1)));
  for (const optim::Setting &s : optim::settings())
    attrs.set(s.name, b.getF64FloatAttr(number(s.name, 0, 0, s.max)));
  if (node.has("schedule")) {
    JNode s = node.at("schedule");
    s.expectObject({"kind", "step_size", "gamma", "period", "min_lr"});
    JNode k = s.at("kind");
    std::string name = k.str();
    Schedule &sch = spec.schedule;
    if (name == "constant")
      sch.kind = Schedule::Constant;
    else if (name == "step")
      sch.kind = Schedule::Step;
    else if (name == "exponential")
      sch.kind = Schedule::Exponential;
    else if (name == "cosine")
      sch.kind = Schedule::Cosine;
    else
      k.expected("\"constant\", \"step\", \"exponential\" or \"cosine\"");
    if (s.has("step_size"))
      sch.stepSize = s.at("step_size").integer(1, 1 << 30);
    if (s.has("gamma"))
      sch.gamma = s.at("gamma").number();
    if (s.has("period"))
      sch.period = s.at("period").integer(1, 1 << 30);
    if (s.has("min_lr"))
      sch.minLr = s.at("min_lr").number();
  }
  return attrs;
}

} // namespace

/// Training-mode batch norm: the running statistics' uses become the
/// batch's mean and biased variance (computed right after `x`), and the
/// updated running statistics (PyTorch: unbiased variance, `momentum` weight
/// on the new value) are appended to `results`, built before `ret`.
void batchStatistics(Value x, Value runningMean,
                                        Value runningVar, double momentum,
                                        Operation *ret,
                                        SmallVectorImpl<Value> &results) {
  OpBuilder b(x.getContext());
  b.setInsertionPointAfterValue(x);
  Location loc = NameLoc::get(b.getStringAttr("batch_norm"));
  auto xType = x.getType().cast<RankedTensorType>();
  int64_t n = xType.getDimSize(0);
  auto spread = [&](Value v) -> Value {
    return b.create<BroadcastInDimOp>(loc, xType, v, ArrayRef<int64_t>{1});
  };
  Value mean = b.create<ReduceMeanOp>(loc, x, ArrayRef<int64_t>{0});
  Value centered = b.create<SubOp>(loc, x, spread(mean));
  Value var = b.create<ReduceMeanOp>(
      loc, b.create<MulOp>(loc, centered, centered), ArrayRef<int64_t>{0});
  runningMean.replaceAllUsesWith(mean);
  runningVar.replaceAllUsesWith(var);
  b.setInsertionPoint(ret);
  auto vecType = mean.getType().cast<RankedTensorType>();
  auto c = [&](double v) -> Value {
    return b.create<ConstantOp>(loc, DenseElementsAttr::get(vecType, (float)v));
  };
  auto blend = [&](Value old, Value now, double scale) -> Value {
    return b.create<AddOp>(loc, b.create<MulOp>(loc, old, c(1 - momentum)),
                           b.create<MulOp>(loc, now, c(momentum * scale)));
  };
  results.push_back(blend(runningMean, mean, 1.0));
  results.push_back(blend(runningVar, var, n > 1 ? double(n) / (n - 1) : 1.0));
}

/// Rewrites every hebb.dropout in `fn` into an inverted-dropout mask drawn
/// from a new `seed` argument (tensor<2xi32>, attribute hebb.seed) inserted
/// at `seedIndex`; site k uses Philox stream k + 1. Returns whether any
/// site was found (no argument is added otherwise).
bool expandDropout(func::FuncOp fn, unsigned seedIndex) {
  SmallVector<DropoutOp> sites;
  fn.walk([&](DropoutOp op) { sites.push_back(op); });
  if (sites.empty())
    return false;
  MLIRContext *ctx = fn.getContext();
  Block &body = fn.getBody().front();
  auto seedType = RankedTensorType::get({2}, IntegerType::get(ctx, 32));
  fn.insertArgument(seedIndex, seedType,
                    DictionaryAttr::get(ctx, {NamedAttribute(
                                             StringAttr::get(ctx, "hebb.seed"),
                                             UnitAttr::get(ctx))}),
                    fn.getLoc());
  Value seed = body.getArgument(seedIndex);
  OpBuilder b(ctx);
  for (auto [k, op] : llvm::enumerate(sites)) {
    b.setInsertionPoint(op);
    Location loc = op.getLoc();
    auto type = op.getType().cast<RankedTensorType>();
    double rate = op.getRate().convertToDouble();
    auto splat = [&](double v) -> Value {
      return b.create<ConstantOp>(loc, DenseElementsAttr::get(type, (float)v));
    };
    Value u = b.create<RandomUniformOp>(loc, type, seed,
                                        b.getDenseI64ArrayAttr(type.getShape()),
                                        b.getI64IntegerAttr(k + 1));
    Value keep = b.create<CompareOp>(loc, CmpPredicate::ge, u, splat(rate));
    Value scaled = b.create<MulOp>(loc, op.getOperand(), splat(1.0 / (1.0 - rate)));
    Value y = b.create<SelectOp>(loc, keep, scaled, splat(0.0));
    op.replaceAllUsesWith(y);
    op.erase();
  }
  return true;
}

void buildTraining(const JNode &root, Model &model, MLIRContext &ctx) {
  JNode node = root.at("training");
  node.expectObject({"loss", "labels", "optimizer", "epochs", "data",
                     "validation_split", "early_stopping"});
  TrainingSpec &spec = model.training;
  spec.present = true;
  OpBuilder b(&ctx);

  JNode lossNode = node.at("loss");
  bool mean = true;
  if (lossNode.json().is_object()) {
    lossNode.expectObject({"kind", "reduction"});
    if (lossNode.has("reduction")) {
      std::string r = lossNode.at("reduction").str();
      if (r != "mean" && r != "sum")
        lossNode.at("reduction").expected("\"mean\" or \"sum\"");
      mean = r == "mean";
    }
    lossNode = lossNode.at("kind");
  }
  spec.loss = lossNode.str();
  spec.meanReduction = mean && spec.loss != "sum_of_squares";
  const LossEntry *loss = nullptr;
  std::vector<std::string> names;
  for (const LossEntry &e : kLosses) {
    names.push_back(e.name);
    if (spec.loss == e.name)
      loss = &e;
  }
  if (!loss) {
    lossNode.fail("unknown loss '" + spec.loss + "'" +
                  didYouMean(spec.loss, names));
  }

  auto fwd = model.module->lookupSymbol<func::FuncOp>("forward");
  auto outType = fwd.getResultTypes()[0].cast<RankedTensorType>();
  bool classes = std::string(loss->name) == "softmax_cross_entropy" ||
                 std::string(loss->name) == "nll" ||
                 std::string(loss->name) == "categorical_crossentropy";
  if (classes && outType.getRank() != 2)
    lossNode.fail("loss '" + spec.loss + "' needs a [batch, classes] output, got " +
                  typeString(outType));

  // Labels: class indices [B] (i32) or a tensor shaped like the output.
  TensorSpec &labels = spec.labels;
  labels.name = "labels";
  labels.dtype = loss->indexLabels ? HEBB_I32 : HEBB_F32;
  labels.shape = loss->indexLabels
                     ? std::vector<int64_t>{outType.getDimSize(0)}
                     : std::vector<int64_t>(outType.getShape().begin(),
                                            outType.getShape().end());
  if (node.has("labels")) {
    JNode l = node.at("labels");
    l.expectObject({"dtype"});
    labels.dtype = readDtype(l);
    if (labels.dtype == HEBB_F32)
      labels.shape.assign(outType.getShape().begin(), outType.getShape().end());
    if (labels.dtype == HEBB_I32 && !classes)
      l.at("dtype").fail("loss '" + spec.loss + "' needs f32 labels");
  }

  NamedAttrList optimizer;
  if (node.has("optimizer")) {
    optimizer = readOptimizer(node.at("optimizer"), spec, b);
  } else {
    optimizer.set("kind", b.getStringAttr("sgd"));
    spec.optimizer = "sgd";
  }
  if (node.has("epochs"))
    spec.epochs = node.at("epochs").integer(1, 1 << 30);
  if (node.has("data")) {
    JNode d = node.at("data");
    spec.dataset = d.str();
    if (spec.dataset != "fashion-mnist")
      d.expected("\"fashion-mnist\" (other data is given to hebb train "
                 "with --data-x/--data-y)");
  }
  if (node.has("validation_split")) {
    JNode v = node.at("validation_split");
    spec.validationSplit = v.number();
    if (!(spec.validationSplit >= 0 && spec.validationSplit < 1))
      v.expected("a fraction in [0, 1)");
  }
  if (node.has("early_stopping")) {
    JNode e = node.at("early_stopping");
    e.expectObject({"patience", "min_delta"});
    spec.patience = e.at("patience").integer(1, 1 << 30);
    if (e.has("min_delta"))
      spec.minDelta = e.at("min_delta").number();
  }

  // @eval = clone of @forward with a labels argument after the inputs,
  // returning (loss, outputs...): what validation and testing run.
  b.setInsertionPointAfter(fwd);
  IRMapping toEval, toLoss;
  auto evalFn = cast<func::FuncOp>(b.clone(*fwd, toEval));
  evalFn.setSymName("eval");
  Block &body = evalFn.getBody().front();
  unsigned labelsIndex = model.inputs.size();
  Value labelsArg = body.insertArgument(
      labelsIndex, tensorType(ctx, labels.shape, labels.dtype), evalFn.getLoc());
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  b.setInsertionPoint(ret);
  LossBuilder lb(b, NameLoc::get(b.getStringAttr("loss")));
  Value l = buildLoss(lb, spec.loss, mean, ret.getOperand(0), labelsArg);
  SmallVector<Value> results = {l};
  results.append(ret.operand_begin(), ret.operand_end());
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  evalFn.setFunctionType(FunctionType::get(&ctx, body.getArgumentTypes(),
                                           ValueRange(results).getTypes()));
  for (size_t i = 0; i < model.params.size(); ++i)
    evalFn.setArgAttr(labelsIndex + 1 + i,
                      model.params[i].buffer ? "hebb.buffer" : "hebb.param",
                      b.getStringAttr(model.params[i].name));

  // @loss = @eval returning only the loss, with dropout sites made random.
  b.setInsertionPointAfter(evalFn);
  auto lossFn = cast<func::FuncOp>(b.clone(*evalFn, toLoss));
  lossFn.setSymName("loss");
  Block &lossBody = lossFn.getBody().front();
  auto lossRet = cast<func::ReturnOp>(lossBody.getTerminator());
  SmallVector<Value> lossResults = {lossRet.getOperand(0)};
  auto inLoss = [&](Value v) { return toLoss.lookup(toEval.lookup(v)); };
  for (const BatchNormSite &site : model.batchNorms)
    batchStatistics(inLoss(site.input), inLoss(site.runningMean),
                    inLoss(site.runningVar), site.momentum, lossRet,
                    lossResults);
  b.setInsertionPoint(lossRet);
  b.create<func::ReturnOp>(lossRet.getLoc(), lossResults);
  lossRet.erase();
  lossFn.setFunctionType(FunctionType::get(
      &ctx, lossBody.getArgumentTypes(), ValueRange(lossResults).getTypes()));
  spec.seeded = expandDropout(lossFn, labelsIndex + 1);
  lossFn->setAttr("hebb.optimizer", optimizer.getDictionary(&ctx));
}

} // namespace hebb::frontend
