//===- TrainingRewrites.cpp - a loss function in training mode ------------===//
//
// The frontend's @loss computes the loss as inference would (dropout sites
// are the identity, batch norm uses its running statistics). Two passes
// turn it into the training-mode loss that autodiff differentiates:
//
///   hebb-expand-dropout: each hebb.dropout becomes an inverted-dropout mask
///     drawn from a new seed argument (tensor<2xi32>, `hebb.seed`), placed
///     before the first parameter argument; site k uses Philox stream k+1.
///   hebb-batchnorm-train: each hebb.batch_norm normalises with its batch's
///     mean and biased variance, and the function also returns the running
///     statistics updated as PyTorch does (unbiased variance, `momentum` on
///     the new value), one result per `hebb.buffer` argument, in order.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/DenseMap.h"

namespace hebb {
#define GEN_PASS_DEF_EXPANDDROPOUT
#define GEN_PASS_DEF_BATCHNORMTRAIN
#include "passes/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace hebb {

namespace {
bool isParameter(func::FuncOp fn, unsigned i) {
  return fn.getArgAttr(i, "hebb.param") || fn.getArgAttr(i, "hebb.buffer");
}

Value splat(OpBuilder &b, Location loc, RankedTensorType type, double v) {
  return b.create<ConstantOp>(loc, DenseElementsAttr::get(type, (float)v));
}
} // namespace

bool expandDropout(func::FuncOp fn) {
  SmallVector<DropoutOp> sites;
  fn.walk([&](DropoutOp op) { sites.push_back(op); });
  if (sites.empty())
    return false;
  MLIRContext *ctx = fn.getContext();
  unsigned seedIndex = 0;
  while (seedIndex < fn.getNumArguments() && !isParameter(fn, seedIndex))
    ++seedIndex;
  auto seedType = RankedTensorType::get({2}, IntegerType::get(ctx, 32));
  fn.insertArgument(seedIndex, seedType,
                    DictionaryAttr::get(
                        ctx, {NamedAttribute(StringAttr::get(ctx, "hebb.seed"),
                                             UnitAttr::get(ctx))}),
                    fn.getLoc());
  Value seed = fn.getArgument(seedIndex);
  OpBuilder b(ctx);
  for (auto [k, op] : llvm::enumerate(sites)) {
    b.setInsertionPoint(op);
    Location loc = op.getLoc();
    auto type = op.getType().cast<RankedTensorType>();
    double rate = op.getRate().convertToDouble();
    Value u = b.create<RandomUniformOp>(loc, type, seed,
                                        b.getDenseI64ArrayAttr(type.getShape()),
                                        b.getI64IntegerAttr(k + 1));
    Value keep = b.create<CompareOp>(loc, CmpPredicate::ge, u,
                                     splat(b, loc, type, rate));
    Value scaled = b.create<MulOp>(loc, op.getOperand(),
                                   splat(b, loc, type, 1.0 / (1.0 - rate)));
    op.replaceAllUsesWith(
        b.create<SelectOp>(loc, keep, scaled, splat(b, loc, type, 0.0))
            .getResult());
    op.erase();
  }
  return true;
}

namespace {
/// Rewrites one site to batch statistics; records the updated running
/// statistics by the argument they update.
LogicalResult trainSite(BatchNormOp op, func::ReturnOp ret,
                        llvm::DenseMap<Value, Value> &updates) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value x = op.getOperand();
  auto xType = x.getType().cast<RankedTensorType>();
  SmallVector<int64_t> axes = op.statisticsAxes();
  int64_t n = 1;
  for (int64_t a : axes)
    n *= xType.getDimSize(a);
  Value mean = b.create<ReduceMeanOp>(loc, x, axes);
  Value centered = b.create<SubOp>(
      loc, x,
      b.create<BroadcastInDimOp>(loc, xType, mean, ArrayRef<int64_t>{1}));
  Value var = b.create<ReduceMeanOp>(
      loc, b.create<MulOp>(loc, centered, centered), axes);
  op.replaceAllUsesWith(op.decompose(b, mean, var));
  double momentum = op.getMomentum().convertToDouble();
  b.setInsertionPoint(ret);
  auto vec = mean.getType().cast<RankedTensorType>();
  auto blend = [&](Value old, Value now, double scale) -> Value {
    return b.create<AddOp>(
        loc, b.create<MulOp>(loc, old, splat(b, loc, vec, 1 - momentum)),
        b.create<MulOp>(loc, now, splat(b, loc, vec, momentum * scale)));
  };
  for (auto [running, batch, scale] :
       {std::tuple{op.getMean(), mean, 1.0},
        std::tuple{op.getVariance(), var, n > 1 ? double(n) / (n - 1) : 1.0}}) {
    auto arg = running.dyn_cast<BlockArgument>();
    if (!arg || updates.count(arg))
      return op.emitError("running statistics must be arguments (hebb.buffer) "
                          "of one batch_norm each");
    updates[arg] = blend(running, batch, scale);
  }
  op.erase();
  return success();
}
} // namespace

LogicalResult trainBatchNorms(func::FuncOp fn) {
  SmallVector<BatchNormOp> sites;
  fn.walk([&](BatchNormOp op) { sites.push_back(op); });
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  llvm::DenseMap<Value, Value> updates;
  for (BatchNormOp op : sites)
    if (failed(trainSite(op, ret, updates)))
      return failure();
  SmallVector<Value> results(ret.getOperands());
  for (BlockArgument arg : fn.getArguments()) {
    if (!fn.getArgAttr(arg.getArgNumber(), "hebb.buffer"))
      continue;
    auto it = updates.find(arg);
    if (it == updates.end())
      return fn.emitError("buffer argument ")
             << arg.getArgNumber() << " is the running statistic of no "
             << "batch_norm";
    results.push_back(it->second);
  }
  if (results.size() == ret.getNumOperands())
    return success();
  OpBuilder b(ret);
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  fn.setFunctionType(FunctionType::get(fn.getContext(), fn.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  return success();
}

namespace {
func::FuncOp lookup(ModuleOp module, StringRef name) {
  auto fn = module.lookupSymbol<func::FuncOp>(name);
  if (!fn)
    module.emitError("no function @") << name;
  return fn;
}

struct ExpandDropoutPass : impl::ExpandDropoutBase<ExpandDropoutPass> {
  using ExpandDropoutBase::ExpandDropoutBase;
  void runOnOperation() override {
    if (func::FuncOp fn = lookup(getOperation(), function))
      expandDropout(fn);
    else
      signalPassFailure();
  }
};

struct BatchNormTrainPass : impl::BatchNormTrainBase<BatchNormTrainPass> {
  using BatchNormTrainBase::BatchNormTrainBase;
  void runOnOperation() override {
    func::FuncOp fn = lookup(getOperation(), function);
    if (!fn || failed(trainBatchNorms(fn)))
      signalPassFailure();
  }
};
} // namespace

void buildTrainingPipeline(OpPassManager &pm) {
  pm.addPass(createExpandDropout());
  pm.addPass(createBatchNormTrain());
  pm.addPass(createPoolFirst());
  pm.addPass(createAutodiffPass());
  pm.addPass(createOptimizerStepPass());
}

void registerTrainingPipeline() {
  PassPipelineRegistration<>(
      "hebb-training",
      "@loss to @train_step: hebb-expand-dropout, hebb-batchnorm-train, "
      "hebb-pool-first, hebb-autodiff, hebb-optimizer",
      buildTrainingPipeline);
}

} // namespace hebb
