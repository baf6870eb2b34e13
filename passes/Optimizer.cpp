//===- Optimizer.cpp - the optimiser step as IR ---------------------------===//
//
// Turns @grad into @train_step: the same computation followed by gradient
// clipping, weight decay and the optimiser's update, so forward, loss,
// backward and update are one program. Update rules are PyTorch's
// (torch.optim, default flags); each is documented next to its builder.
//
/// @train_step(args of @loss..., state..., lr, step)
///     -> (loss, new parameters..., new state...)
/// `lr` is the learning rate of this step and `step` the 1-based step count
/// (Adam's bias correction), both tensor<f32> scalars chosen by the caller
/// (learning-rate schedules live on the host). Parameters are the arguments
/// of @loss carrying a `hebb.param` name; state tensors have the shape of
/// their parameter and are named "<param>.<slot>" in the `hebb.state`
/// attribute, using PyTorch's slot names (momentum_buffer, square_avg,
/// exp_avg, exp_avg_sq, sum, acc_delta); `hebb.state_params` names the
/// parameter of each.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "ir/Optimizers.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace hebb {
#define GEN_PASS_DEF_OPTIMIZERSTEP
#include "passes/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace hebb {
namespace {

/// Small builders on tensors of one parameter's shape.
class Step {
public:
  Step(OpBuilder &b, Location loc, Value lr, Value step)
      : b(b), loc(loc), lr(lr), step(step) {}

  Value c(Value like, double v) {
    return b.create<ConstantOp>(
        loc,
        DenseElementsAttr::get(like.getType().cast<ShapedType>(), (float)v));
  }
  Value add(Value x, Value y) { return b.create<AddOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<SubOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<MulOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<DivOp>(loc, x, y); }
  Value sqrt(Value x) { return b.create<SqrtOp>(loc, x); }
  Value scale(Value x, double k) { return mul(x, c(x, k)); }
  /// a * x + b * y
  Value mix(double a, Value x, double bb, Value y) {
    return add(scale(x, a), scale(y, bb));
  }
  /// A scalar tensor<f32> broadcast to `like`'s shape.
  Value spread(Value scalar, Value like) {
    auto t = like.getType().cast<RankedTensorType>();
    if (t.getRank() == 0)
      return scalar;
    return b.create<BroadcastInDimOp>(loc, t, scalar,
                                      b.getDenseI64ArrayAttr({}));
  }
  Value lrLike(Value like) { return spread(lr, like); }
  /// p - lr g / (sqrt(acc) + eps): rmsprop's and adagrad's step.
  Value adaptive(Value p, Value g, Value acc, double eps) {
    Value denom = add(sqrt(acc), c(acc, eps));
    return sub(p, div(mul(lrLike(p), g), denom));
  }
  Value sign(Value x) {
    Value zero = c(x, 0);
    Value pos = b.create<SelectOp>(
        loc, b.create<CompareOp>(loc, CmpPredicate::gt, x, zero), c(x, 1),
        zero);
    Value neg = b.create<SelectOp>(
        loc, b.create<CompareOp>(loc, CmpPredicate::lt, x, zero), c(x, 1),
        zero);
    return sub(pos, neg);
  }
  Value sumSquares(Value g) {
    auto t = g.getType().cast<RankedTensorType>();
    SmallVector<int64_t> axes;
    for (int64_t i = 0; i < t.getRank(); ++i)
      axes.push_back(i);
    return b.create<ReduceSumOp>(loc, mul(g, g), b.getDenseI64ArrayAttr(axes),
                                 b.getBoolAttr(false));
  }

  OpBuilder &b;
  Location loc;
  Value lr, step;
};

/// @loss's `hebb.optimizer` dictionary over the table's defaults: a
/// setting the dictionary leaves out has PyTorch's value.
struct Settings {
  const optim::Optimizer *info = nullptr;
  DictionaryAttr dict;
  double get(StringRef name) const {
    auto a = dict ? dict.get(name).dyn_cast_or_null<FloatAttr>() : FloatAttr();
    return a ? a.getValueAsDouble() : info->defaultOf(name);
  }
  /// State slots (sgd without momentum has none, as in PyTorch).
  SmallVector<StringRef> slots() const {
    if (*info->stateOnlyWith && get(info->stateOnlyWith) == 0)
      return {};
    return SmallVector<StringRef>(info->slots.begin(), info->slots.end());
  }
};

/// An update rule: the new parameter, then the new state, into `out`.
using Rule = void (*)(Step &, const Settings &, Value p, Value g,
                      ArrayRef<Value> state, SmallVectorImpl<Value> &out);

/// sgd and momentum: buf = mu buf + (1 - dampening) g; p -= lr buf (with
/// nesterov, p -= lr (g + mu buf)). A zero buffer makes the first step
/// buf = g, as in PyTorch.
void momentumStep(Step &st, const Settings &s, Value p, Value g,
                  ArrayRef<Value> state, SmallVectorImpl<Value> &out,
                  bool nesterov) {
  Value lr = st.lrLike(p);
  double mu = s.get("momentum");
  if (mu == 0) {
    out.push_back(st.sub(p, st.mul(lr, g)));
    return;
  }
  Value buf = st.mix(mu, state[0], 1 - s.get("dampening"), g);
  Value dir = nesterov ? st.add(g, st.scale(buf, mu)) : buf;
  out.push_back(st.sub(p, st.mul(lr, dir)));
  out.push_back(buf);
}

void updateSgd(Step &st, const Settings &s, Value p, Value g,
               ArrayRef<Value> state, SmallVectorImpl<Value> &out) {
  momentumStep(st, s, p, g, state, out, false);
}

void updateNesterov(Step &st, const Settings &s, Value p, Value g,
                    ArrayRef<Value> state, SmallVectorImpl<Value> &out) {
  momentumStep(st, s, p, g, state, out, true);
}

/// v = rho v + (1 - rho) g^2; p -= lr g / (sqrt(v) + eps).
void updateRmsProp(Step &st, const Settings &s, Value p, Value g,
                   ArrayRef<Value> state, SmallVectorImpl<Value> &out) {
  double rho = s.get("rho");
  Value v = st.mix(rho, state[0], 1 - rho, st.mul(g, g));
  out.push_back(st.adaptive(p, g, v, s.get("eps")));
  out.push_back(v);
}

/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
void updateAdam(Step &st, const Settings &s, Value p, Value g,
                ArrayRef<Value> state, SmallVectorImpl<Value> &out) {
  double b1 = s.get("beta1"), b2 = s.get("beta2");
  Value m = st.mix(b1, state[0], 1 - b1, g);
  Value v = st.mix(b2, state[1], 1 - b2, st.mul(g, g));
  Value t = st.step;
  Value bc1 = st.sub(st.c(t, 1), st.b.create<PowOp>(st.loc, st.c(t, b1), t));
  Value bc2 = st.sub(st.c(t, 1), st.b.create<PowOp>(st.loc, st.c(t, b2), t));
  Value stepSize = st.div(st.lrLike(p), st.spread(bc1, p));
  Value denom = st.add(st.div(st.sqrt(v), st.spread(st.sqrt(bc2), p)),
                       st.c(v, s.get("eps")));
  out.push_back(st.sub(p, st.mul(stepSize, st.div(m, denom))));
  out.push_back(m);
  out.push_back(v);
}

/// sum += g^2; p -= lr g / (sqrt(sum) + eps).
void updateAdaGrad(Step &st, const Settings &s, Value p, Value g,
                   ArrayRef<Value> state, SmallVectorImpl<Value> &out) {
  Value sum = st.add(state[0], st.mul(g, g));
  out.push_back(st.adaptive(p, g, sum, s.get("eps")));
  out.push_back(sum);
}

/// v = rho v + (1 - rho) g^2; d = sqrt(u + eps) / sqrt(v + eps) g;
/// u = rho u + (1 - rho) d^2; p -= lr d.
void updateAdaDelta(Step &st, const Settings &s, Value p, Value g,
                    ArrayRef<Value> state, SmallVectorImpl<Value> &out) {
  double rho = s.get("rho"), eps = s.get("eps");
  Value v = st.mix(rho, state[0], 1 - rho, st.mul(g, g));
  Value d = st.mul(st.div(st.sqrt(st.add(state[1], st.c(g, eps))),
                          st.sqrt(st.add(v, st.c(v, eps)))),
                   g);
  Value u = st.mix(rho, state[1], 1 - rho, st.mul(d, d));
  out.push_back(st.sub(p, st.mul(st.lrLike(p), d)));
  out.push_back(v);
  out.push_back(u);
}

/// The update rule of each optimizer of ir/Optimizers.def.
Rule ruleOf(StringRef name) {
#define HEBB_OPTIMIZER(json, rule, ...)                                        \
  if (name == json)                                                            \
    return update##rule;
#include "ir/Optimizers.def"
  llvm_unreachable("an optimizer of the table without a rule");
}

/// Clipping (torch.nn.utils.clip_grad_value_ / clip_grad_norm_), before
/// the optimizer adds its own weight decay.
void clip(Step &st, const Settings &s, SmallVectorImpl<Value> &grads) {
  OpBuilder &b = st.b;
  if (double cv = s.get("clip_value"); cv > 0)
    for (Value &g : grads)
      g = b.create<MinimumOp>(
          st.loc, b.create<MaximumOp>(st.loc, g, st.c(g, -cv)), st.c(g, cv));
  if (double maxNorm = s.get("clip_norm"); maxNorm > 0) {
    Value total;
    for (Value g : grads)
      total = total ? st.add(total, st.sumSquares(g)) : st.sumSquares(g);
    Value norm = st.sqrt(total);
    Value coef = b.create<MinimumOp>(
        st.loc, st.div(st.c(norm, maxNorm), st.add(norm, st.c(norm, 1e-6))),
        st.c(norm, 1));
    for (Value &g : grads)
      g = st.mul(g, st.spread(coef, g));
  }
}

/// The trainable arguments of @loss (f32, named by `hebb.param`), their
/// gradients among @grad's results, and where the auxiliary results start.
struct Trainables {
  SmallVector<unsigned> args;
  SmallVector<Value> grads;
  SmallVector<std::string> names;
  unsigned auxStart = 1;
};

Trainables trainables(func::FuncOp loss, func::ReturnOp gradReturn) {
  Trainables t;
  for (unsigned i = 0; i < loss.getNumArguments(); ++i) {
    auto type = loss.getArgument(i).getType().cast<RankedTensorType>();
    if (!type.getElementType().isF32())
      continue;
    if (auto name = loss.getArgAttrOfType<StringAttr>(i, "hebb.param")) {
      t.args.push_back(i);
      t.grads.push_back(gradReturn.getOperand(t.auxStart));
      t.names.push_back(name.getValue().str());
    }
    ++t.auxStart;
  }
  return t;
}

} // namespace

FailureOr<func::FuncOp> buildTrainStep(func::FuncOp loss, func::FuncOp grad,
                                       StringRef fallbackKind) {
  MLIRContext *ctx = loss.getContext();
  Settings s;
  s.dict = loss->getAttrOfType<DictionaryAttr>("hebb.optimizer");
  auto kindAttr = s.dict ? s.dict.getAs<StringAttr>("kind") : StringAttr();
  StringRef kind = kindAttr ? kindAttr.getValue() : fallbackKind;
  s.info = optim::find(kind);
  if (!s.info)
    return loss.emitError("unknown optimizer '") << kind << "'";

  OpBuilder mb(grad);
  mb.setInsertionPointAfter(grad);
  auto train = cast<func::FuncOp>(mb.clone(*grad));
  train.setSymName("train_step");
  train->removeAttr("arg_attrs"); // arguments are added below
  Block &body = train.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  Trainables params = trainables(loss, ret);
  if (params.args.empty())
    return loss.emitError("no argument is marked as a parameter (hebb.param)");

  // State arguments, named "<param>.<slot>", then lr and step.
  SmallVector<SmallVector<Value>> state(params.args.size());
  SmallVector<Attribute> stateNames, stateParams;
  for (size_t k = 0; k < params.args.size(); ++k)
    for (StringRef slot : s.slots()) {
      state[k].push_back(body.addArgument(
          body.getArgument(params.args[k]).getType(), train.getLoc()));
      stateNames.push_back(
          StringAttr::get(ctx, params.names[k] + "." + slot.str()));
      stateParams.push_back(StringAttr::get(ctx, params.names[k]));
    }
  auto scalar = RankedTensorType::get({}, Float32Type::get(ctx));
  Value lr = body.addArgument(scalar, train.getLoc());
  Value stepCount = body.addArgument(scalar, train.getLoc());

  OpBuilder b(ret);
  Step st(b, NameLoc::get(b.getStringAttr("optimizer")), lr, stepCount);
  clip(st, s, params.grads);
  Rule rule = ruleOf(s.info->name);
  SmallVector<Value> newParams, newState;
  for (size_t k = 0; k < params.args.size(); ++k) {
    Value p = body.getArgument(params.args[k]), g = params.grads[k];
    if (double wd = s.get("weight_decay"); wd > 0)
      g = st.add(g, st.scale(p, wd));
    if (double l1 = s.get("l1"); l1 > 0)
      g = st.add(g, st.scale(st.sign(p), l1));
    SmallVector<Value> out;
    rule(st, s, p, g, state[k], out);
    newParams.push_back(out[0]);
    newState.append(out.begin() + 1, out.end());
  }

  SmallVector<Value> results = {ret.getOperand(0)};
  results.append(newParams);
  results.append(newState);
  // @loss's results after the loss (updated buffers) come last, unchanged.
  results.append(ret.operand_begin() + params.auxStart, ret.operand_end());
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  train.setFunctionType(FunctionType::get(ctx, body.getArgumentTypes(),
                                          ValueRange(results).getTypes()));
  train->setAttr("hebb.state", ArrayAttr::get(ctx, stateNames));
  train->setAttr("hebb.state_params", ArrayAttr::get(ctx, stateParams));
  return train;
}

namespace {
struct OptimizerStepPass : public impl::OptimizerStepBase<OptimizerStepPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto loss = module.lookupSymbol<func::FuncOp>("loss");
    if (!loss) {
      module.emitError("no function @loss to train");
      return signalPassFailure();
    }
    auto grad = module.lookupSymbol<func::FuncOp>("grad");
    if (!grad) {
      auto built = differentiate(loss, "grad");
      if (failed(built))
        return signalPassFailure();
      grad = *built;
    }
    if (failed(buildTrainStep(loss, grad, optimizer)))
      signalPassFailure();
  }
};
} // namespace

std::unique_ptr<Pass> createOptimizerStepPass() {
  return std::make_unique<OptimizerStepPass>();
}

} // namespace hebb
