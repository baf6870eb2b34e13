//===- TrainCommand.cpp - hebb train --------------------------------------===//
//
// Compiles the model's whole training step (forward, loss, backward,
// optimiser update: one function, @train_step) and drives it over .npy
// data: mini-batches, epochs, seeded shuffling, learning-rate schedules,
// and an evaluation pass that counts every sample.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/Session.h"

#include "codegen/Compiler.h"
#include "passes/Passes.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <numeric>
#include <random>

namespace hebb::tool {

static const char *kTrainHelp = R"(usage: hebb train MODEL.json --data-x X.npy --data-y Y.npy [options]

Trains MODEL (which needs a "training" section: loss and optimizer) on the
samples in X and labels in Y. The whole step is one compiled function.

options:
  --data-x FILE.npy     inputs, [samples, ...] (the model's per-sample shape)
  --data-y FILE.npy     labels: class indices [samples] or targets [samples, ...]
  --epochs N            passes over the data (default: the model's, else 1)
  --batch N             mini-batch size (default: the model's batch_size)
  --steps N             run exactly N steps on consecutive batches, then stop
  --no-shuffle          keep the data order (default: shuffle every epoch)
  --seed N              seed for initialisation and shuffling (default 0)
  --lr X                override the optimizer's learning rate
  --init FILE           start from these parameters (safetensors, PyTorch names)
  --save FILE           write the trained parameters (safetensors)
  --quiet               print only the final line
  --cpu NAME            native (default), x86-64-v3, x86-64-v4

examples:
  hebb train samples/xor_train.json --data-x x.npy --data-y y.npy --epochs 2000
  hebb train model.json --init w0.safetensors --data-x X.npy --data-y Y.npy \
      --steps 10 --no-shuffle --save w10.safetensors
)";

namespace {

/// A dataset held in memory, as f32 inputs and labels of the model's types.
struct Dataset {
  Tensor x, y;
  int64_t count = 0;
  size_t xRow = 0, yRow = 0; // bytes per sample
};

Dataset loadData(const std::string &xPath, const std::string &yPath,
                 const frontend::Model &model) {
  Dataset d;
  hebb_tensor raw;
  check(hebb_npy_read(xPath.c_str(), &raw));
  Tensor x(raw);
  check(hebb_npy_read(yPath.c_str(), &raw));
  Tensor y(raw);
  auto sampleShape = [](const std::vector<int64_t> &s) {
    return std::vector<int64_t>(s.begin() + 1, s.end());
  };
  const auto &in = model.inputs[0];
  const auto &labels = model.training.labels;
  if (x.raw().rank < 1 || sampleShape(x.shape()) != sampleShape(in.shape))
    throw UsageError(xPath + " has shape " + shapeString(x.shape()) +
                     ", the model expects [samples" +
                     shapeString(sampleShape(in.shape)).replace(0, 1, ", ") );
  if (y.raw().rank < 1 || sampleShape(y.shape()) != sampleShape(labels.shape))
    throw UsageError(yPath + " has shape " + shapeString(y.shape()) +
                     ", the loss expects [samples" +
                     shapeString(sampleShape(labels.shape)).replace(0, 1, ", "));
  if (x.raw().shape[0] != y.raw().shape[0])
    throw UsageError(yPath + " has " + std::to_string(y.raw().shape[0]) +
                     " labels for " + std::to_string(x.raw().shape[0]) +
                     " samples in " + xPath);
  hebb_tensor conv;
  if (hebb_tensor_convert(&x.raw(), in.dtype, &conv) != HEBB_OK)
    throw UsageError(xPath + ": " + hebb_last_error());
  d.x = Tensor(conv);
  if (hebb_tensor_convert(&y.raw(), labels.dtype, &conv) != HEBB_OK)
    throw UsageError(yPath + ": " + hebb_last_error());
  d.y = Tensor(conv);
  d.count = x.raw().shape[0];
  d.xRow = d.count ? hebb_tensor_nbytes(&d.x.raw()) / d.count : 0;
  d.yRow = d.count ? hebb_tensor_nbytes(&d.y.raw()) / d.count : 0;
  if (labels.dtype == HEBB_I32) {
    int64_t classes = model.outputs[0].shape.back();
    const int32_t *l = (const int32_t *)d.y.raw().data;
    for (int64_t i = 0; i < d.count; ++i)
      if (l[i] < 0 || l[i] >= classes)
        throw UsageError(yPath + ": label " + std::to_string(l[i]) +
                         " of sample " + std::to_string(i) +
                         " is outside the model's " + std::to_string(classes) +
                         " classes");
  }
  if (d.count == 0)
    throw UsageError(xPath + " holds no samples");
  return d;
}

/// Fisher-Yates with a fixed generator: the same order on every platform.
void shuffle(std::vector<int64_t> &order, std::mt19937_64 &rng) {
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng() % i]);
}

void gather(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t count, Tensor &x, Tensor &y) {
  for (int64_t i = 0; i < count; ++i) {
    int64_t s = order[(first + i) % d.count];
    std::memcpy((char *)x.raw().data + i * d.xRow,
                (const char *)d.x.raw().data + s * d.xRow, d.xRow);
    std::memcpy((char *)y.raw().data + i * d.yRow,
                (const char *)d.y.raw().data + s * d.yRow, d.yRow);
  }
}

frontend::TensorSpec scalarSpec(const std::string &name) {
  frontend::TensorSpec s;
  s.name = name;
  return s;
}

/// Correct predictions in a batch of outputs against labels.
int64_t countCorrect(const frontend::Model &model, const Tensor &out,
                     const Tensor &labels, int64_t rows) {
  const auto &spec = model.outputs[0];
  const std::string &loss = model.training.loss;
  bool classifier = loss == "softmax_cross_entropy" || loss == "nll" ||
                    loss == "categorical_crossentropy" || loss == "bce" ||
                    loss == "bce_with_logits";
  if (!classifier || spec.shape.size() != 2 || spec.dtype != HEBB_F32)
    return -1;
  int64_t classes = spec.shape[1];
  const float *o = (const float *)out.raw().data;
  int64_t correct = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = o + r * classes;
    int64_t want;
    if (model.training.labels.dtype == HEBB_I32) {
      want = ((const int32_t *)labels.raw().data)[r];
    } else if (classes == 1) {
      bool pos = model.training.loss == "bce_with_logits" ? row[0] > 0 : row[0] > 0.5f;
      correct += pos == (((const float *)labels.raw().data)[r] > 0.5f);
      continue;
    } else {
      const float *l = (const float *)labels.raw().data + r * classes;
      want = std::max_element(l, l + classes) - l;
    }
    correct += (std::max_element(row, row + classes) - row) == want;
  }
  return correct;
}

} // namespace

int trainCommand(int argc, char **argv) {
  Args args(argc, argv, 2,
            {{"data-x", true}, {"data-y", true}, {"epochs", true},
             {"batch", true}, {"steps", true}, {"no-shuffle", false},
             {"seed", true}, {"lr", true}, {"init", true}, {"save", true},
             {"quiet", false}, {"cpu", true}, {"help", false}});
  if (args.has("help")) {
    std::cout << kTrainHelp;
    return 0;
  }
  if (args.positional.size() != 1)
    throw UsageError("hebb train needs exactly one model file (see --help)");
  if (!args.has("data-x") || !args.has("data-y"))
    throw UsageError("hebb train needs --data-x X.npy and --data-y Y.npy");
  Session session;
  int64_t batch = args.integer("batch", 0, 1, frontend::kMaxElements);
  frontend::Model model = session.load(args.positional[0], batch);
  if (!model.training.present)
    throw UsageError(model.path + ": the model has no \"training\" section "
                                  "(loss and optimizer)");
  if (model.inputs.size() != 1)
    throw UsageError(model.path + ": hebb train supports models with one input");
  Dataset data = loadData(args.get("data-x"), args.get("data-y"), model);
  uint64_t seed = args.integer("seed", 0, 0, INT64_MAX);
  bool quiet = args.has("quiet");

  // One program for the whole step; @forward stays for evaluation.
  auto start = std::chrono::steady_clock::now();
  mlir::ModuleOp module = *model.module;
  auto loss = module.lookupSymbol<mlir::func::FuncOp>("loss");
  auto grad = differentiate(loss, "grad");
  if (mlir::failed(grad))
    throw UsageError(model.path + ": cannot differentiate the loss");
  auto train = buildTrainStep(loss, *grad);
  if (mlir::failed(train))
    throw UsageError(model.path + ": cannot build the training step");
  auto stateNames = (*train)->getAttrOfType<mlir::ArrayAttr>("hebb.state");
  grad->erase();
  loss.erase();
  cpu::TargetOptions target;
  target.cpu = args.get("cpu", "native");
  auto jit = compileForJit(module, target);
  if (!jit)
    throw UsageError(model.path + ": " + llvm::toString(jit.takeError()));
  double compileMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start)
                         .count();

  std::vector<Tensor> params = session.parameters(model, seed, args.get("init"));
  std::vector<Tensor> next, state, nextState;
  for (auto &p : model.params)
    next.push_back(allocate(p));
  size_t slotsPerParam = model.params.empty() ? 0 : stateNames.size() / model.params.size();
  for (size_t i = 0; i < stateNames.size(); ++i) {
    state.push_back(allocate(model.params[i / slotsPerParam]));
    nextState.push_back(allocate(model.params[i / slotsPerParam]));
  }
  Tensor x = allocate(model.inputs[0]), y = allocate(model.training.labels);
  Tensor lossOut = allocate(scalarSpec("loss")), lr = allocate(scalarSpec("lr")),
         stepT = allocate(scalarSpec("step"));
  Tensor out = allocate(model.outputs[0]);

  int64_t B = model.batch;
  int64_t perEpoch = std::max<int64_t>(data.count / B, 1);
  int64_t steps = args.integer("steps", 0, 1, INT64_MAX);
  int64_t epochs = args.integer("epochs", model.training.epochs, 1, 1 << 30);
  if (steps)
    epochs = (steps + perEpoch - 1) / perEpoch;
  double baseLr = args.has("lr") ? std::stod(args.get("lr")) : model.training.lr;
  std::vector<int64_t> order(data.count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed ^ 0x9E3779B97F4A7C15ull);
  bool shuffleData = !args.has("no-shuffle") && !steps;

  int64_t step = 0;
  double lastLoss = 0;
  auto trainStart = std::chrono::steady_clock::now();
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    if (shuffleData)
      shuffle(order, rng);
    *(float *)lr.raw().data = (float)model.training.schedule.at(baseLr, epoch);
    double sum = 0;
    int64_t n = 0;
    for (int64_t b = 0; b < perEpoch && (!steps || step < steps); ++b) {
      gather(data, order, (steps ? step : b) * B, B, x, y);
      *(float *)stepT.raw().data = (float)(step + 1);
      std::vector<void *> ptrs = {x.raw().data, y.raw().data};
      for (Tensor &p : params)
        ptrs.push_back(p.raw().data);
      for (Tensor &s : state)
        ptrs.push_back(s.raw().data);
      ptrs.push_back(lr.raw().data);
      ptrs.push_back(stepT.raw().data);
      ptrs.push_back(lossOut.raw().data);
      for (Tensor &p : next)
        ptrs.push_back(p.raw().data);
      for (Tensor &s : nextState)
        ptrs.push_back(s.raw().data);
      if (llvm::Error e = (*jit)->invoke("train_step", ptrs))
        throw UsageError(llvm::toString(std::move(e)));
      std::swap(params, next);
      std::swap(state, nextState);
      double l = *(float *)lossOut.raw().data;
      if (!std::isfinite(l))
        throw UsageError("the loss became " + std::to_string(l) + " at step " +
                         std::to_string(step + 1) +
                         " (lower the learning rate?); nothing was saved");
      sum += l;
      ++n;
      ++step;
    }
    lastLoss = n ? sum / n : 0;
    for (size_t i = 0; i < params.size(); ++i) {
      const float *v = (const float *)params[i].raw().data;
      for (int64_t k = 0, e = hebb_tensor_numel(&params[i].raw()); k < e; ++k)
        if (!std::isfinite(v[k]))
          throw UsageError("parameter " + model.params[i].name +
                           " became non-finite in epoch " +
                           std::to_string(epoch + 1) +
                           " (lower the learning rate?); nothing was saved");
    }
    if (!quiet)
      std::cout << "epoch " << epoch + 1 << "/" << epochs << "  loss "
                << lastLoss << "\n";
  }
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - trainStart)
                       .count();

  // Accuracy over every sample; the tail batch is padded and not counted.
  int64_t correct = 0;
  bool classify = true;
  std::vector<int64_t> inOrder(data.count);
  std::iota(inOrder.begin(), inOrder.end(), 0);
  for (int64_t first = 0; first < data.count && classify; first += B) {
    int64_t rows = std::min(B, data.count - first);
    gather(data, inOrder, first, B, x, y);
    std::vector<void *> ptrs = {x.raw().data};
    for (Tensor &p : params)
      ptrs.push_back(p.raw().data);
    ptrs.push_back(out.raw().data);
    if (llvm::Error e = (*jit)->invoke("forward", ptrs))
      throw UsageError(llvm::toString(std::move(e)));
    int64_t c = countCorrect(model, out, y, rows);
    classify = c >= 0;
    correct += c;
  }
  std::cout << "trained " << step << " steps in " << seconds << " s ("
            << (seconds > 0 ? step / seconds : 0) << " steps/s, compile "
            << compileMs << " ms); final loss " << lastLoss;
  if (classify)
    std::cout << "; accuracy " << (double)correct / data.count << " ("
              << correct << "/" << data.count << ")";
  std::cout << "\n";

  if (args.has("save")) {
    std::vector<const char *> names;
    std::vector<hebb_tensor> tensors;
    for (size_t i = 0; i < params.size(); ++i) {
      names.push_back(model.params[i].name.c_str());
      tensors.push_back(params[i].raw());
    }
    check(hebb_safetensors_write(args.get("save").c_str(), names.size(),
                                 names.data(), tensors.data()));
  }
  return 0;
}

} // namespace hebb::tool
