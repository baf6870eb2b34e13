//===- Training.cpp - the "training" section: loss and optimiser ----------===//
//
// Builds @eval(inputs..., labels, params...) -> (loss, outputs...) and
// @loss (the loss alone) next to @forward, and records the optimiser
// settings on @loss as the `hebb.optimizer` dictionary the hebb-optimizer
// pass reads. Losses are one table (Losses.cpp); optimizers another
// (ir/Optimizers.def).
//
//===----------------------------------------------------------------------===//

#include "frontend/Forms.h"
#include "frontend/GraphBuilder.h"
#include "frontend/Losses.h"
#include "hebb/model.h"

#include "ir/HebbDialect.h"
#include "ir/Optimizers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <filesystem>

using namespace mlir;

namespace hebb::frontend {

double Schedule::at(double lr, int64_t epoch) const {
  return hebb_schedule_lr((hebb_schedule_kind)kind, lr, epoch, stepSize, gamma,
                          period, minLr);
}

namespace {

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

namespace {

/// "loss": a name, or {"kind": name, "reduction": "mean" | "sum"}.
const LossInfo &readLoss(const JNode &node, TrainingSpec &spec,
                         RankedTensorType outType) {
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
  const LossInfo *loss = findLoss(spec.loss);
  if (!loss)
    lossNode.fail("unknown loss '" + spec.loss + "'" +
                  didYouMean(spec.loss, lossNames()));
  spec.meanReduction = mean && !loss->alwaysSum;
  spec.probabilityLabels = loss->probabilities;
  if (loss->classes && outType.getRank() < 2)
    lossNode.fail("loss '" + spec.loss +
                  "' needs a [batch, ..., classes] output, got " +
                  typeString(outType));
  return *loss;
}

/// Labels: class indices [B, ...] (i32) of an output [B, ..., C], or a
/// tensor shaped like the output.
void readLabels(const JNode &node, const LossInfo &loss,
                RankedTensorType outType, TensorSpec &labels) {
  std::vector<int64_t> like(outType.getShape().begin(),
                            outType.getShape().end());
  labels.name = "labels";
  labels.dtype = loss.indexLabels ? HEBB_I32 : HEBB_F32;
  labels.shape = like;
  if (loss.indexLabels)
    labels.shape.pop_back();
  if (!node.has("labels"))
    return;
  JNode l = node.at("labels");
  l.expectObject({"dtype"});
  labels.dtype = readDtype(l);
  if (labels.dtype == HEBB_F32)
    labels.shape = like;
  if (labels.dtype == HEBB_I32 && !loss.classes)
    l.at("dtype").fail("loss '" + std::string(loss.name) +
                       "' needs f32 labels");
}

/// Values written in the model: a nested list, samples first, each sample
/// holding `perSample` numbers.
TrainingSpec::Values readInline(const JNode &node, int64_t perSample) {
  TrainingSpec::Values v;
  for (const nlohmann::json *p = &node.json(); p->is_array(); p = &(*p)[0]) {
    if (p->empty() || v.shape.size() == HEBB_MAX_RANK)
      node.expected("a non-empty nested list of numbers, samples first");
    v.shape.push_back((int64_t)p->size());
  }
  if (v.shape.empty())
    node.expected("a nested list of numbers, samples first");
  checkElementCount(v.shape, node);
  int64_t per = 1;
  for (size_t i = 1; i < v.shape.size(); ++i)
    per *= v.shape[i];
  if (per != perSample)
    node.fail("each sample has " + std::to_string(per) +
              " values, the model expects " + std::to_string(perSample));
  v.values = readValues(node, v.shape);
  return v;
}

int64_t perSample(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i)
    n *= shape[i];
  return n;
}

/// "data": "fashion-mnist", or {"x": X, "y": Y} with files (relative to
/// the model file) or nested lists.
void readData(const JNode &d, Model &model) {
  TrainingSpec &spec = model.training;
  if (d.json().is_string()) {
    spec.dataset = d.str();
    if (spec.dataset != "fashion-mnist")
      d.expected("\"fashion-mnist\", or {\"x\": ..., \"y\": ...} with files "
                 "or values");
    return;
  }
  d.expectObject({"x", "y"});
  JNode x = d.at("x"), y = d.at("y");
  if (x.json().is_string() != y.json().is_string())
    d.fail("give \"x\" and \"y\" both as files or both as values");
  if (x.json().is_string()) {
    namespace fs = std::filesystem;
    fs::path dir = fs::absolute(model.path).parent_path();
    spec.dataX = (dir / x.str()).lexically_normal().string();
    spec.dataY = (dir / y.str()).lexically_normal().string();
    return;
  }
  if (model.inputs.size() != 1)
    d.fail("data in the model needs a model with one input");
  spec.inlineX = readInline(x, perSample(model.inputs[0].shape));
  spec.inlineY = readInline(y, perSample(spec.labels.shape));
  if (spec.inlineX.shape[0] != spec.inlineY.shape[0])
    y.fail(std::to_string(spec.inlineY.shape[0]) + " labels for " +
           std::to_string(spec.inlineX.shape[0]) + " samples");
}

/// epochs, data, validation_split, early_stopping.
void readLoop(const JNode &node, Model &model) {
  TrainingSpec &spec = model.training;
  if (node.has("epochs"))
    spec.epochs = node.at("epochs").integer(1, 1 << 30);
  if (node.has("data"))
    readData(node.at("data"), model);
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
}

/// @eval = clone of @forward with a labels argument after the inputs,
/// returning (loss, outputs...): what validation and testing run.
func::FuncOp buildEval(Model &model, func::FuncOp fwd, const LossInfo &loss) {
  MLIRContext &ctx = *fwd.getContext();
  const TensorSpec &labels = model.training.labels;
  OpBuilder b(&ctx);
  b.setInsertionPointAfter(fwd);
  auto evalFn = cast<func::FuncOp>(b.clone(*fwd));
  evalFn.setSymName("eval");
  Block &body = evalFn.getBody().front();
  unsigned labelsIndex = model.inputs.size();
  Value labelsArg = body.insertArgument(
      labelsIndex, tensorType(ctx, labels.shape, labels.dtype),
      evalFn.getLoc());
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  b.setInsertionPoint(ret);
  Value l =
      loss.build(b, NameLoc::get(b.getStringAttr("loss")), ret.getOperand(0),
                 labelsArg, model.training.meanReduction);
  SmallVector<Value> results = {l};
  results.append(ret.operand_begin(), ret.operand_end());
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  evalFn.setFunctionType(FunctionType::get(&ctx, body.getArgumentTypes(),
                                           ValueRange(results).getTypes()));
  markParamArgs(evalFn, labelsIndex + 1, model);
  return evalFn;
}

/// @loss = @eval returning only the loss, as inference computes it; the
/// training pipeline (passes/) makes it training-mode.
void buildLossFn(func::FuncOp evalFn, DictionaryAttr optimizer) {
  OpBuilder b(evalFn);
  b.setInsertionPointAfter(evalFn);
  auto lossFn = cast<func::FuncOp>(b.clone(*evalFn));
  lossFn.setSymName("loss");
  Block &body = lossFn.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  b.setInsertionPoint(ret);
  b.create<func::ReturnOp>(ret.getLoc(), ret.getOperand(0));
  ret.erase();
  lossFn.setFunctionType(
      FunctionType::get(lossFn.getContext(), body.getArgumentTypes(),
                        body.getTerminator()->getOperandTypes()));
  lossFn->setAttr("hebb.optimizer", optimizer);
}

} // namespace

void buildTraining(const JNode &root, Model &model, MLIRContext &ctx) {
  JNode node = root.at("training");
  node.expectObject({"loss", "labels", "optimizer", "epochs", "data",
                     "validation_split", "early_stopping"});
  TrainingSpec &spec = model.training;
  spec.present = true;
  auto fwd = model.module->lookupSymbol<func::FuncOp>("forward");
  auto outType = fwd.getResultTypes()[0].cast<RankedTensorType>();
  const LossInfo &loss = readLoss(node, spec, outType);
  readLabels(node, loss, outType, spec.labels);
  OpBuilder b(&ctx);
  NamedAttrList optimizer;
  if (node.has("optimizer")) {
    optimizer = readOptimizer(node.at("optimizer"), spec, b);
  } else {
    optimizer.set("kind", b.getStringAttr("sgd"));
    spec.optimizer = "sgd";
  }
  readLoop(node, model);
  // The step takes a seed when the model drops out (hebb-expand-dropout).
  spec.seeded = false;
  fwd.walk([&](DropoutOp) { spec.seeded = true; });
  buildLossFn(buildEval(model, fwd, loss), optimizer.getDictionary(&ctx));
}

} // namespace hebb::frontend
