//===- TrainCommand.cpp - hebb train --------------------------------------===//
//
// Compiles the model's whole training step (forward, loss, backward,
// optimiser update: one function, @train_step) next to @eval, and drives
// them: mini-batches, epochs, seeded shuffling, learning-rate schedules, a
// validation split with early stopping, metrics, checkpoints and a final
// evaluation that counts every sample.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/Evaluation.h"
#include "tools/hebb/Report.h"

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <numeric>
#include <random>

namespace hebb::tool {

static const char *kTrainHelp = R"(usage: hebb train MODEL.json [data] [options]

Trains MODEL (which needs a "training" section: loss and optimizer). The
whole step is one compiled function; evaluation uses the compiled @eval.

data (default: the model's "data", e.g. "fashion-mnist"):
  --data NAME           a named dataset: fashion-mnist (train and test splits)
  --data-x FILE         inputs [samples, ...]: .npy, IDX (.gz or raw) or .csv
  --data-y FILE         labels: class indices [samples] or targets [samples, ...]
  --test-x/--test-y F   a test set, evaluated after training
  IDX unsigned-byte images are scaled to [0, 1].

options:
  --epochs N            passes over the data (default: the model's, else 1)
  --batch N             mini-batch size (default: the model's batch_size)
  --steps N             run exactly N steps on consecutive batches, then stop
  --no-shuffle          keep the data order (default: shuffle every epoch)
  --seed N              seed for initialisation, shuffling, dropout (default 0)
  --lr X                override the optimizer's learning rate
  --validation-split F  hold out the last fraction F of the training data
  --patience N          stop after N epochs without a better validation loss
                        (and keep the best parameters)
  --init FILE           start from these parameters (safetensors, PyTorch names)
  --resume FILE         continue from a checkpoint (parameters, optimizer
                        state, step and epoch)
  --checkpoint FILE     write parameters + optimizer state after every epoch
  --save FILE           write the trained parameters (safetensors)
  --metrics FILE.csv    per-epoch loss, validation loss/accuracy, lr, time
  --plot FILE.svg       loss and accuracy curves
  --quiet               print only the final line
  --cpu NAME            native (default), x86-64-v3, x86-64-v4

Every file is written through a temporary file and a rename: an interrupted
run never leaves a torn file. The last partial batch of an epoch is not
trained on (with shuffling it differs every epoch); evaluation counts every
sample.

examples:
  hebb train samples/keras_mnist_mlp.json --epochs 20 --metrics m.csv --plot m.svg
  hebb train model.json --init w0.safetensors --data-x X.npy --data-y Y.npy \
      --steps 10 --no-shuffle --save w10.safetensors
)";

namespace {

frontend::TensorSpec scalarSpec() { return frontend::TensorSpec{}; }

/// Parameters (and optimizer state) as safetensors, written atomically.
void saveTensors(const std::string &path, const frontend::Model &model,
                 std::vector<Tensor> &params, mlir::ArrayAttr stateNames,
                 std::vector<Tensor> *state, const std::vector<double> &meta) {
  std::vector<std::string> names;
  std::vector<hebb_tensor> tensors;
  for (size_t i = 0; i < params.size(); ++i) {
    names.push_back(model.params[i].name);
    tensors.push_back(params[i].raw());
  }
  std::vector<Tensor> extra;
  if (state) {
    for (size_t i = 0; i < state->size(); ++i) {
      names.push_back("optimizer." +
                      stateNames[i].cast<mlir::StringAttr>().str());
      tensors.push_back((*state)[i].raw());
    }
    frontend::TensorSpec m;
    m.shape = {(int64_t)meta.size()};
    m.dtype = HEBB_F64;
    extra.push_back(allocate(m));
    std::memcpy(extra.back().raw().data, meta.data(), meta.size() * 8);
    names.push_back("optimizer.progress");
    tensors.push_back(extra.back().raw());
  }
  std::vector<const char *> cnames;
  for (auto &n : names)
    cnames.push_back(n.c_str());
  check(hebb_safetensors_write(path.c_str(), cnames.size(), cnames.data(),
                               tensors.data()));
}

/// Reads optimizer state and progress (step, epoch) from a checkpoint.
void loadState(const std::string &path, mlir::ArrayAttr stateNames,
               std::vector<Tensor> &state, int64_t &step, int64_t &epoch) {
  hebb_safetensors *file = nullptr;
  check(hebb_safetensors_open(path.c_str(), &file));
  std::unique_ptr<hebb_safetensors, void (*)(hebb_safetensors *)> guard(
      file, hebb_safetensors_close);
  auto get = [&](const std::string &name, hebb_dtype dtype, Tensor &into) {
    hebb_tensor stored;
    if (hebb_safetensors_get(file, name.c_str(), &stored) != HEBB_OK)
      throw UsageError(path + ": no tensor named '" + name +
                       "' (not a checkpoint written by --checkpoint?)");
    Tensor owned(stored);
    if (owned.raw().dtype != dtype ||
        hebb_tensor_nbytes(&owned.raw()) != hebb_tensor_nbytes(&into.raw()))
      throw UsageError(path + ": tensor '" + name +
                       "' does not match this model's optimizer state");
    std::memcpy(into.raw().data, owned.raw().data,
                hebb_tensor_nbytes(&into.raw()));
  };
  for (size_t i = 0; i < state.size(); ++i)
    get("optimizer." + stateNames[i].cast<mlir::StringAttr>().str(), HEBB_F32,
        state[i]);
  frontend::TensorSpec m;
  m.shape = {2};
  m.dtype = HEBB_F64;
  Tensor progress = allocate(m);
  get("optimizer.progress", HEBB_F64, progress);
  const double *p = (const double *)progress.raw().data;
  step = (int64_t)p[0];
  epoch = (int64_t)p[1];
}

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

} // namespace

int trainCommand(int argc, char **argv) {
  Args args(argc, argv, 2,
            {{"data", true},       {"data-x", true},     {"data-y", true},
             {"test-x", true},     {"test-y", true},     {"epochs", true},
             {"batch", true},      {"steps", true},      {"no-shuffle", false},
             {"seed", true},       {"lr", true},         {"init", true},
             {"resume", true},     {"checkpoint", true}, {"save", true},
             {"metrics", true},    {"plot", true},       {"validation-split", true},
             {"patience", true},   {"quiet", false},     {"cpu", true},
             {"help", false}});
  if (args.has("help")) {
    std::cout << kTrainHelp;
    return 0;
  }
  if (args.positional.size() != 1)
    throw UsageError("hebb train needs exactly one model file (see --help)");
  Session session;
  int64_t batchFlag = args.integer("batch", 0, 1, frontend::kMaxElements);
  frontend::Model model = session.load(args.positional[0], batchFlag);
  const frontend::TrainingSpec &spec = model.training;
  if (!spec.present)
    throw UsageError(model.path + ": the model has no \"training\" section "
                                  "(loss and optimizer)");
  if (model.inputs.size() != 1)
    throw UsageError(model.path + ": hebb train supports models with one input");
  if (args.has("init") && args.has("resume"))
    throw UsageError("give --init or --resume, not both");

  // Data: files on the command line, else the named dataset.
  std::string named = args.get("data", spec.dataset);
  bool files = args.has("data-x") || args.has("data-y");
  if (files && !(args.has("data-x") && args.has("data-y")))
    throw UsageError("--data-x and --data-y go together");
  if (!files && named.empty())
    throw UsageError("hebb train needs data: --data-x X --data-y Y, --data "
                     "fashion-mnist, or \"data\" in the training section");
  DataFiles trainFiles = files ? DataFiles{args.get("data-x"), args.get("data-y")}
                               : namedDataset(named, false);
  Dataset data = loadDataset(trainFiles, model);
  std::unique_ptr<Dataset> test, validation;
  if (args.has("test-x") != args.has("test-y"))
    throw UsageError("--test-x and --test-y go together");
  if (args.has("test-x"))
    test = std::make_unique<Dataset>(
        loadDataset({args.get("test-x"), args.get("test-y")}, model));
  else if (!files)
    test = std::make_unique<Dataset>(
        loadDataset(namedDataset(named, true), model));
  double split = spec.validationSplit;
  if (args.has("validation-split")) {
    split = std::atof(args.get("validation-split").c_str());
    if (!(split > 0 && split < 1))
      throw UsageError("--validation-split needs a fraction in (0, 1)");
  }
  if (split > 0)
    validation = std::make_unique<Dataset>(tool::splitOff(data, split));
  int64_t patience = args.integer("patience", spec.patience, 1, 1 << 30);
  if (patience && !validation)
    throw UsageError("early stopping (--patience) needs a validation split");
  uint64_t seed = args.integer("seed", 0, 0, INT64_MAX);
  bool quiet = args.has("quiet");

  // One program for the whole step, next to @forward and @eval.
  auto start = std::chrono::steady_clock::now();
  mlir::ModuleOp module = *model.module;
  mlir::ArrayAttr stateNames = buildTrainingProgram(model);
  std::string cpuName = args.get("cpu", "native");
  auto jit = compileModule(module, cpuName, model.path);
  double compileMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start)
                         .count();
  Evaluation evaluation(session, model, *jit, cpuName);

  std::string initFile = args.has("resume") ? args.get("resume") : args.get("init");
  std::vector<Tensor> params = session.parameters(model, seed, initFile);
  std::vector<Tensor> next, state, nextState, best;
  for (auto &p : model.params)
    next.push_back(allocate(p));
  // Optimizer state belongs to trainable parameters; buffers (batch norm's
  // running statistics) come back from the step after the state.
  std::vector<size_t> trainable, buffers;
  for (size_t i = 0; i < model.params.size(); ++i)
    (model.params[i].buffer ? buffers : trainable).push_back(i);
  size_t slots = trainable.empty() ? 0 : stateNames.size() / trainable.size();
  for (size_t i = 0; i < stateNames.size(); ++i) {
    state.push_back(allocate(model.params[trainable[i / slots]]));
    nextState.push_back(allocate(model.params[trainable[i / slots]]));
  }
  int64_t step = 0, firstEpoch = 0;
  if (args.has("resume"))
    loadState(initFile, stateNames, state, step, firstEpoch);

  Tensor x = allocate(model.inputs[0]), y = allocate(spec.labels);
  Tensor lossOut = allocate(scalarSpec()), lr = allocate(scalarSpec()),
         stepT = allocate(scalarSpec());
  frontend::TensorSpec seedSpec;
  seedSpec.shape = {2};
  seedSpec.dtype = HEBB_I32;
  Tensor seedT = allocate(seedSpec);

  const int64_t B = model.batch;
  if (data.count < B)
    throw UsageError(data.name + ": " + std::to_string(data.count) +
                     " training samples, fewer than one batch of " +
                     std::to_string(B));
  int64_t perEpoch = data.count / B;
  int64_t steps = args.integer("steps", 0, 1, INT64_MAX);
  int64_t epochs = args.integer("epochs", spec.epochs, 1, 1 << 30);
  if (steps)
    epochs = (steps + perEpoch - 1) / perEpoch;
  double baseLr = args.has("lr") ? std::atof(args.get("lr").c_str()) : spec.lr;
  std::vector<int64_t> order(data.count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed ^ 0x9E3779B97F4A7C15ull);
  for (int64_t e = 0; e < firstEpoch; ++e) // same order as an unbroken run
    if (!args.has("no-shuffle") && !steps)
      for (size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng() % i]);
  bool shuffleData = !args.has("no-shuffle") && !steps;

  Progress progress(!quiet);
  std::vector<EpochMetrics> history;
  double bestLoss = INFINITY;
  int64_t sinceBest = 0, bestEpoch = 0;
  double trainSeconds = 0;
  for (int64_t epoch = firstEpoch; epoch < epochs; ++epoch) {
    if (shuffleData)
      for (size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng() % i]);
    EpochMetrics m;
    m.epoch = epoch + 1;
    m.lr = spec.schedule.at(baseLr, epoch);
    *(float *)lr.raw().data = (float)m.lr;
    double sum = 0;
    int64_t n = 0;
    int64_t todo = steps ? std::min(perEpoch, steps - step) : perEpoch;
    progress.start(epoch + 1, epochs, todo);
    auto epochStart = std::chrono::steady_clock::now();
    for (int64_t b = 0; b < todo; ++b) {
      gather(data, order, (steps ? step : b) * B, B, x, y);
      *(float *)stepT.raw().data = (float)(step + 1);
      int32_t *sd = (int32_t *)seedT.raw().data;
      sd[0] = (int32_t)(uint32_t)seed;
      sd[1] = (int32_t)(uint32_t)(step + 1);
      std::vector<void *> ptrs = {x.raw().data, y.raw().data};
      if (spec.seeded)
        ptrs.push_back(seedT.raw().data);
      for (Tensor &p : params)
        ptrs.push_back(p.raw().data);
      for (Tensor &s : state)
        ptrs.push_back(s.raw().data);
      ptrs.push_back(lr.raw().data);
      ptrs.push_back(stepT.raw().data);
      ptrs.push_back(lossOut.raw().data);
      for (size_t i : trainable)
        ptrs.push_back(next[i].raw().data);
      for (Tensor &s : nextState)
        ptrs.push_back(s.raw().data);
      for (size_t i : buffers)
        ptrs.push_back(next[i].raw().data);
      if (llvm::Error e = jit->invoke("train_step", ptrs))
        throw UsageError(llvm::toString(std::move(e)));
      std::swap(params, next);
      std::swap(state, nextState);
      double l = *(float *)lossOut.raw().data;
      if (!std::isfinite(l))
        throw UsageError("the loss became " + std::to_string(l) + " at step " +
                         std::to_string(step + 1) +
                         " (lower the learning rate?); nothing more was saved");
      sum += l;
      ++n;
      ++step;
      progress.update(b + 1, sum / n);
    }
    progress.finish();
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              epochStart)
                    .count();
    trainSeconds += m.seconds;
    m.trainLoss = n ? sum / n : NAN;
    for (size_t i = 0; i < params.size(); ++i) {
      const float *v = (const float *)params[i].raw().data;
      for (int64_t k = 0, e = hebb_tensor_numel(&params[i].raw()); k < e; ++k)
        if (!std::isfinite(v[k]))
          throw UsageError("parameter " + model.params[i].name +
                           " became non-finite in epoch " +
                           std::to_string(epoch + 1) +
                           " (lower the learning rate?); nothing more was saved");
    }
    std::string line = "epoch " + std::to_string(epoch + 1) + "/" +
                       std::to_string(epochs) + "  loss " +
                       fixed(m.trainLoss, 4);
    bool stop = false;
    if (validation) {
      EvalResult v = evaluation.run(*validation, params);
      m.valLoss = v.loss;
      m.valAccuracy = v.accuracy >= 0 ? v.accuracy : NAN;
      line += "  val_loss " + fixed(v.loss, 4);
      if (v.accuracy >= 0)
        line += "  val_accuracy " + fixed(v.accuracy, 4);
      if (v.loss < bestLoss - spec.minDelta) {
        bestLoss = v.loss;
        bestEpoch = epoch + 1;
        sinceBest = 0;
        if (patience) {
          best.clear();
          for (size_t i = 0; i < params.size(); ++i) {
            best.push_back(allocate(model.params[i]));
            std::memcpy(best[i].raw().data, params[i].raw().data,
                        hebb_tensor_nbytes(&params[i].raw()));
          }
        }
      } else if (patience && ++sinceBest >= patience) {
        stop = true;
      }
    }
    line += "  (" + fixed(m.seconds, 2) + " s, " +
            fixed(n / std::max(m.seconds, 1e-9), 0) + " steps/s)";
    if (!quiet)
      std::cout << line << std::endl;
    history.push_back(m);
    if (args.has("checkpoint"))
      saveTensors(args.get("checkpoint"), model, params, stateNames, &state,
                  {(double)step, (double)(epoch + 1)});
    if (args.has("metrics"))
      writeMetricsCsv(args.get("metrics"), history);
    if (stop) {
      if (!quiet)
        std::cout << "early stopping: no validation improvement for "
                  << patience << " epochs; keeping epoch " << bestEpoch
                  << "'s parameters\n";
      std::swap(params, best);
      break;
    }
  }
  if (args.has("plot"))
    writeCurvesSvg(args.get("plot"), model.name, history);

  // The final evaluation counts every sample (test set, else training set).
  EvalResult r = evaluation.run(test ? *test : data, params);
  std::cout << "trained " << step << " steps in " << fixed(trainSeconds, 2)
            << " s (" << fixed(trainSeconds > 0 ? step / trainSeconds : 0, 1)
            << " steps/s, compile " << fixed(compileMs, 0) << " ms); "
            << (test ? "test" : "training") << " loss " << fixed(r.loss, 4);
  if (r.accuracy >= 0)
    std::cout << "; " << (test ? "test" : "training") << " accuracy "
              << fixed(r.accuracy, 4) << " (" << r.correct << "/" << r.count
              << ")";
  std::cout << "\n";

  if (args.has("save"))
    saveTensors(args.get("save"), model, params, stateNames, nullptr, {});
  return 0;
}

} // namespace hebb::tool
