//===- Driver.cpp - train, eval and run for a compiled model --------------===//
//
// The main() of `hebb compile --emit=exe` programs. Everything goes through
// the public hebb_model_* API and libhebbdata, so the program needs no
// compiler: the model's entries are in the executable. Flags and output
// follow `hebb train`, `hebb eval` and `hebb run`; the shuffling generator
// is the same, so a run matches `hebb train` with the same seed.
//
//===----------------------------------------------------------------------===//

#include "hebb/driver.h"
#include "hebb/data.h"

#include "Status.h"
#include "data/Dataset.h"
#include "driver/Commands.h"
#include "driver/Driver.h"
#include "driver/Generate.h"
#include "driver/Report.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check(hebb_status s) {
  if (s != HEBB_OK)
    throw Error(hebb_last_error());
}

using hebb::data::Owned;

/// A tensor of the interface; the batch dimension first.
struct Spec {
  std::string name;
  hebb_dtype dtype = HEBB_F32;
  std::vector<int64_t> shape;
  int64_t perSample() const {
    int64_t n = 1;
    for (size_t i = 1; i < shape.size(); ++i)
      n *= shape[i];
    return n;
  }
};

Spec spec(hebb_model *ctx, hebb_role role, int64_t index) {
  hebb_tensor_info info;
  check(hebb_model_tensor_info(ctx, role, index, &info));
  return {info.name, info.dtype,
          std::vector<int64_t>(info.shape, info.shape + info.rank)};
}

/// A context and what the driver reads of its interface.
struct Model {
  hebb_model *ctx = nullptr;
  std::string name;
  int64_t batch = 1;
  std::vector<Spec> inputs;
  Spec output, labels;
  bool trainable = false;
  hebb_training_info training{};
  std::vector<std::string> params;
  double lrAt(double base, int64_t epoch) const {
    const hebb_training_info &t = training;
    return hebb_schedule_lr(t.schedule, base, epoch, t.step_size, t.gamma,
                            t.period, t.min_lr);
  }
  explicit Model(const hebb_model_desc *desc) {
    check(hebb_model_create(desc, &ctx));
    name = hebb_model_name(ctx);
    batch = hebb_model_batch(ctx);
    if (hebb_model_count(ctx, HEBB_ROLE_INPUT) < 1 ||
        hebb_model_count(ctx, HEBB_ROLE_OUTPUT) < 1)
      throw Error(name + ": the driver needs a model with inputs and outputs");
    for (int64_t i = 0, e = hebb_model_count(ctx, HEBB_ROLE_INPUT); i < e; ++i)
      inputs.push_back(spec(ctx, HEBB_ROLE_INPUT, i));
    output = spec(ctx, HEBB_ROLE_OUTPUT, 0);
    for (int64_t i = 0, e = hebb_model_count(ctx, HEBB_ROLE_PARAM); i < e; ++i)
      params.push_back(spec(ctx, HEBB_ROLE_PARAM, i).name);
    trainable = hebb_model_count(ctx, HEBB_ROLE_LABELS) == 1;
    if (trainable) {
      labels = spec(ctx, HEBB_ROLE_LABELS, 0);
      check(hebb_model_training(ctx, &training));
    }
  }
  Model(const Model &) = delete;
  ~Model() { hebb_model_destroy(ctx); }
};

using hebb::data::Dataset;
using hebb::flags::Parsed;

hebb::data::Spec dataSpec(const Spec &s) { return {s.dtype, s.shape}; }

std::vector<hebb::data::Spec> inputSpecs(const Model &m) {
  std::vector<hebb::data::Spec> specs;
  for (const Spec &s : m.inputs)
    specs.push_back(dataSpec(s));
  return specs;
}

/// The file of a one-tensor `[NAME=]FILE` flag value for tensor `name`.
std::string fileFor(const std::string &flag, const std::string &value,
                    const std::string &name) {
  size_t eq = value.find('=');
  if (eq == std::string::npos)
    return value;
  if (value.substr(0, eq) != name)
    throw Error("--" + flag + " " + value + ": the model's tensor is '" + name +
                "'");
  return value.substr(eq + 1);
}

/// The files of `--flag` values for the model's inputs, in their order:
/// FILE (or NAME=FILE) for a model with one input, else NAME=FILE once
/// for each.
std::vector<std::string> inputFiles(const Model &m, const std::string &flag,
                                    const std::vector<std::string> &values) {
  if (m.inputs.size() == 1 && values.size() == 1)
    return {fileFor(flag, values[0], m.inputs[0].name)};
  std::string names;
  for (const Spec &s : m.inputs)
    names += (names.empty() ? "'" : ", '") + s.name + "'";
  std::vector<std::string> files(m.inputs.size());
  for (const std::string &v : values) {
    size_t eq = v.find('=');
    if (eq == std::string::npos)
      throw Error("--" + flag + " " + v + ": the model's inputs are " + names +
                  "; give NAME=FILE for each");
    std::string name = v.substr(0, eq);
    auto it = std::find_if(m.inputs.begin(), m.inputs.end(),
                           [&](const Spec &s) { return s.name == name; });
    if (it == m.inputs.end())
      throw Error("--" + flag + " " + v + ": no input '" + name +
                  "' (the model's inputs are " + names + ")");
    std::string &file = files[it - m.inputs.begin()];
    if (!file.empty())
      throw Error("--" + flag + ": input '" + name + "' given twice");
    file = v.substr(eq + 1);
  }
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i].empty())
      throw Error("--" + flag + ": no file for input '" + m.inputs[i].name +
                  "' (give --" + flag + " " + m.inputs[i].name + "=FILE)");
  return files;
}

/// The labels as the loss reads them: probabilities lie in [0, 1].
hebb::data::Spec labelsSpec(const Model &m) {
  hebb::data::Spec s = dataSpec(m.labels);
  if (m.training.probability_labels) {
    s.min = 0;
    s.max = 1;
  }
  return s;
}

/// Data errors become driver errors (one line naming the file).
template <typename F> auto rethrow(F &&f) -> decltype(f()) {
  try {
    return f();
  } catch (const hebb::data::Error &e) {
    throw Error(e.what());
  }
}

Dataset loadData(const Model &m, const std::vector<std::string> &xPaths,
                 const std::string &yPath) {
  return rethrow([&] {
    return hebb::data::load(xPaths, yPath, inputSpecs(m), labelsSpec(m),
                            m.output.shape.back());
  });
}

/// The named dataset to use: --data, else the model's unless files are
/// given.
std::string datasetName(const Model &m, const Parsed &a) {
  if (a.has("data"))
    return a.get("data");
  return a.has("data-x") || a.has("data-y") ? "" : m.training.dataset;
}

/// A copy of data written in the model.
hebb::data::Owned copyOf(const hebb_tensor &t) {
  hebb::data::Owned o;
  check(hebb_tensor_alloc(&o.t, t.dtype, t.rank, t.shape));
  std::memcpy(o.t.data, t.data, hebb_tensor_nbytes(&t));
  return o;
}

/// --data-x/--data-y, else --data, else the model's "data": a named
/// dataset (`test`: its test split), files, or values in the model.
Dataset dataFrom(const Model &m, const Parsed &a, bool test) {
  std::string y = a.get("data-y");
  if (a.has("data-x") != a.has("data-y"))
    throw Error("--data-x and --data-y go together");
  if (a.has("data-x"))
    return loadData(m, inputFiles(m, "data-x", a.all("data-x")), y);
  // A named dataset and data in the model feed a model's only input.
  auto oneInput = [&](const std::string &what) {
    if (m.inputs.size() != 1)
      throw Error(what + " feeds one input; the model has " +
                  std::to_string(m.inputs.size()) +
                  ": give --data-x NAME=FILE for each and --data-y");
  };
  std::string named = datasetName(m, a), x;
  if (!named.empty()) {
    oneInput("dataset '" + named + "'");
    rethrow([&] {
      hebb::data::namedDataset(named, test, x, y);
      return 0;
    });
    return loadData(m, {x}, y);
  }
  const hebb_training_info &t = m.training;
  if (*t.data_x) {
    oneInput("the model's data");
    return loadData(m, {t.data_x}, t.data_y);
  }
  if (t.inline_x && t.inline_y) {
    oneInput("the model's data");
    return rethrow([&] {
      std::vector<hebb::data::Samples> xs;
      xs.push_back({copyOf(*t.inline_x), m.name + " (data x)"});
      return hebb::data::fromTensors(std::move(xs), copyOf(*t.inline_y),
                                     m.name + " (data y)", inputSpecs(m),
                                     labelsSpec(m), m.output.shape.back());
    });
  }
  throw Error("needs data: --data-x X --data-y Y, --data fashion-mnist, or "
              "\"data\" in the model's training section");
}

/// The positions a sample is classified at: 1 for an output [B, C], T
/// for [B, T, C] (a class per step).
int64_t positions(const Model &m) {
  int64_t p = 1;
  for (size_t i = 1; i + 1 < m.output.shape.size(); ++i)
    p *= m.output.shape[i];
  return p;
}

/// Correct predictions at every position of the first `rows` samples (-1:
/// not a classifier).
int64_t correct(const Model &m, const float *out, const void *labels,
                int64_t rows) {
  if (m.output.shape.size() < 2)
    return -1;
  return hebb::data::countCorrect(m.training.loss, m.labels.dtype,
                                  m.output.shape.back(), out, labels,
                                  rows * positions(m));
}

struct Batch {
  std::vector<std::vector<char>> xs;
  std::vector<char> y;
  std::vector<float> out;
  /// The inputs' buffers, to fill and as the model API takes them.
  std::vector<void *> to;
  std::vector<const void *> in;
  Batch(const Model &m, const Dataset &d)
      : y(d.yRow * m.batch), out(m.output.perSample() * m.batch) {
    for (size_t row : d.xRows)
      xs.emplace_back(row * m.batch);
    for (auto &x : xs) {
      to.push_back(x.data());
      in.push_back(x.data());
    }
  }
  void fill(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t B) {
    hebb::data::gather(d, order, first, B, to.data(), y.data());
  }
};

struct Score {
  double loss = 0, accuracy = -1;  // accuracy < 0: not a classifier
  int64_t hits = 0, positions = 0; // correct of all classified positions
};

/// Loss and accuracy over every sample. The last partial batch is
/// evaluated one sample at a time, each replicated across a batch, so no
/// sample is dropped or counted twice.
Score evaluate(const Model &m, const Dataset &d) {
  Batch b(m, d);
  std::vector<int64_t> order(d.count);
  std::iota(order.begin(), order.end(), 0);
  const void *const *in = b.in.data();
  void *out[1] = {b.out.data()};
  double sum = 0;
  Score score;
  bool classify = true;
  const int64_t B = m.batch, full = d.count / B * B;
  // `rows` samples from `first` on (1: a sample replicated over a batch).
  auto add = [&](int64_t first, int64_t rows) {
    std::vector<int64_t> one(1, first);
    b.fill(d, rows == B ? order : one, rows == B ? first : 0, B);
    float l;
    check(hebb_model_eval(m.ctx, in, b.y.data(), &l, out));
    double perSample = m.training.mean ? l : l / B;
    sum += perSample * rows;
    int64_t c = correct(m, b.out.data(), b.y.data(), rows);
    classify = classify && c >= 0;
    score.hits += std::max<int64_t>(c, 0);
  };
  for (int64_t first = 0; first < full; first += B)
    add(first, B);
  for (int64_t s = full; s < d.count; ++s)
    add(s, 1);
  score.loss = sum / d.count;
  score.positions = d.count * positions(m);
  score.accuracy = classify ? (double)score.hits / double(score.positions) : -1;
  return score;
}

/// Copies of every parameter, to keep the best epoch's.
std::vector<std::vector<char>> snapshot(const Model &m) {
  std::vector<std::vector<char>> out;
  for (const std::string &name : m.params) {
    hebb_tensor view;
    check(hebb_model_param(m.ctx, name.c_str(), &view));
    const char *p = (const char *)view.data;
    out.emplace_back(p, p + hebb_tensor_nbytes(&view));
  }
  return out;
}

void restore(const Model &m, const std::vector<std::vector<char>> &saved) {
  for (size_t i = 0; i < m.params.size(); ++i) {
    hebb_tensor view;
    check(hebb_model_param(m.ctx, m.params[i].c_str(), &view));
    std::memcpy(view.data, saved[i].data(), saved[i].size());
  }
}

/// Fails naming the first parameter that is not finite.
void checkFinite(const Model &m, int64_t epoch) {
  for (const std::string &name : m.params) {
    hebb_tensor view;
    check(hebb_model_param(m.ctx, name.c_str(), &view));
    const float *v = (const float *)view.data;
    for (int64_t k = 0, e = hebb_tensor_numel(&view); k < e; ++k)
      if (!std::isfinite(v[k]))
        throw Error("parameter " + name + " became non-finite in epoch " +
                    std::to_string(epoch + 1) +
                    " (lower the learning rate?); nothing more was saved");
  }
}

std::string fixed(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

/// Initial parameters: the initialisers with --seed, then --init or
/// --resume (which must be a checkpoint).
void initialise(Model &m, const Parsed &a) {
  if (a.has("init") && a.has("resume"))
    throw Error("give --init or --resume, not both");
  if (a.has("resume")) {
    hebb_safetensors *file = nullptr;
    check(hebb_safetensors_open(a.get("resume").c_str(), &file));
    hebb_tensor progress;
    bool ok =
        hebb_safetensors_get(file, "optimizer.progress", &progress) == HEBB_OK;
    if (ok)
      hebb_tensor_free(&progress);
    hebb_safetensors_close(file);
    if (!ok)
      throw Error(a.get("resume") +
                  ": no tensor named 'optimizer.progress' "
                  "(not a checkpoint written by --checkpoint?)");
  }
  check(hebb_model_init_params(m.ctx, a.integer("seed", 0, 0, INT64_MAX)));
  if (a.has("init") || a.has("resume"))
    check(hebb_model_load(m.ctx,
                          a.get(a.has("init") ? "init" : "resume").c_str()));
}

/// Everything a training run decides before its first step.
struct Plan {
  Dataset data;
  std::unique_ptr<Dataset> test, validation;
  int64_t epochs = 1, steps = 0, perEpoch = 1, patience = 0;
  double lr = 0;
  bool shuffle = true, quiet = false;
  uint64_t seed = 0;
};

Plan plan(const Model &m, const Parsed &a) {
  Plan p;
  p.data = dataFrom(m, a, false);
  if (a.has("test-x") != a.has("test-y"))
    throw Error("--test-x and --test-y go together");
  if (a.has("test-x"))
    p.test = std::make_unique<Dataset>(
        loadData(m, inputFiles(m, "test-x", a.all("test-x")), a.get("test-y")));
  else if (!datasetName(m, a).empty())
    p.test = std::make_unique<Dataset>(dataFrom(m, a, true));
  double split = a.has("validation-split")
                     ? a.number("validation-split", 0, 1e-9, 1 - 1e-9)
                     : m.training.validation_split;
  if (split > 0)
    p.validation = std::make_unique<Dataset>(
        rethrow([&] { return hebb::data::splitOff(p.data, split); }));
  p.patience = a.integer("patience", m.training.patience, 0, 1 << 30);
  if (p.patience && !p.validation)
    throw Error("early stopping (--patience) needs a validation split");
  if (p.data.count < m.batch)
    throw Error(p.data.name + ": " + std::to_string(p.data.count) +
                " training samples, fewer than one batch of " +
                std::to_string(m.batch));
  p.perEpoch = p.data.count / m.batch;
  p.steps = a.integer("steps", 0, 1, INT64_MAX / 2); // 0: not given
  p.epochs = p.steps ? (p.steps + p.perEpoch - 1) / p.perEpoch
                     : a.integer("epochs", m.training.epochs, 1, 1 << 30);
  p.lr = a.number("lr", m.training.lr, 0, 1e6);
  if (a.has("lr") && !(p.lr > 0))
    throw Error("option --lr expects a positive number, got '" + a.get("lr") +
                "'");
  p.shuffle = !a.has("no-shuffle") && !p.steps;
  p.quiet = a.has("quiet");
  p.seed = a.integer("seed", 0, 0, INT64_MAX);
  return p;
}

/// Writes nothing: fails now, before training, when an output file
/// cannot be created later.
void checkOutputs(const Parsed &a) {
  for (const char *flag : {"checkpoint", "save", "metrics", "plot"})
    if (a.has(flag))
      check(hebb_check_writable(a.get(flag).c_str()));
}

struct Loop {
  std::vector<int64_t> order;
  std::mt19937_64 rng;
  int64_t step = 0;
  void shuffle() {
    for (size_t i = order.size(); i > 1; --i)
      std::swap(order[i - 1], order[rng() % i]);
  }
};

/// One epoch of steps; returns the mean training loss.
double trainEpoch(Model &m, const Plan &p, Loop &loop, Batch &b, float lr,
                  hebb::driver::Progress &progress, int64_t &n) {
  const void *const *in = b.in.data();
  int64_t todo =
      p.steps ? std::min(p.perEpoch, p.steps - loop.step) : p.perEpoch;
  double sum = 0;
  n = 0;
  for (int64_t k = 0; k < todo; ++k) {
    b.fill(p.data, loop.order, (p.steps ? loop.step : k) * m.batch, m.batch);
    float l;
    check(hebb_model_train_step(m.ctx, in, b.y.data(), lr, &l));
    if (!std::isfinite(l))
      throw Error("the loss became " + std::to_string(l) + " at step " +
                  std::to_string(loop.step + 1) +
                  " (lower the learning rate?); nothing more was saved");
    sum += l;
    ++n;
    ++loop.step;
    progress.update(k + 1, sum / n);
  }
  return n ? sum / n : NAN;
}

/// Validation, early stopping and the epoch's line. True: stop.
struct Best {
  double loss = INFINITY;
  int64_t epoch = 0, since = 0;
  std::vector<std::vector<char>> params;
};

bool validate(const Model &m, const Plan &p, Best &best,
              hebb::driver::EpochMetrics &row, std::string &line) {
  if (!p.validation)
    return false;
  Score s = evaluate(m, *p.validation);
  row.valLoss = s.loss;
  line += "  val_loss " + fixed(s.loss, 4);
  if (s.accuracy >= 0) {
    row.valAccuracy = s.accuracy;
    line += "  val_accuracy " + fixed(s.accuracy, 4);
  }
  if (s.loss < best.loss - m.training.min_delta) {
    best.loss = s.loss;
    best.epoch = row.epoch;
    best.since = 0;
    if (p.patience)
      best.params = snapshot(m);
    return false;
  }
  return p.patience && ++best.since >= p.patience;
}

void report(const Model &m, const Plan &p, const Loop &loop, double seconds,
            const hebb::driver::Extras &extras) {
  const Dataset &final = p.test ? *p.test : p.data;
  Score s = evaluate(m, final);
  const char *which = p.test ? "test" : "training";
  std::string compile = extras.compileMs >= 0
                            ? ", compile " + fixed(extras.compileMs, 0) + " ms"
                            : "";
  std::printf("trained %lld steps in %.2f s (%.1f steps/s%s); %s loss %.4f",
              (long long)loop.step, seconds,
              seconds > 0 ? loop.step / seconds : 0.0, compile.c_str(), which,
              s.loss);
  if (s.accuracy >= 0)
    std::printf("; %s accuracy %.4f (%lld/%lld)", which, s.accuracy,
                (long long)s.hits, (long long)s.positions);
  std::printf("\n");
}

int train(Model &m, const Parsed &a, const hebb::driver::Extras &extras) {
  if (!m.trainable)
    throw Error(m.name + " has no training section (loss and optimizer)");
  checkOutputs(a);
  Plan p = plan(m, a);
  initialise(m, a);
  Loop loop{std::vector<int64_t>(p.data.count),
            std::mt19937_64(p.seed ^ 0x9E3779B97F4A7C15ull)};
  std::iota(loop.order.begin(), loop.order.end(), 0);
  // Resuming: the epochs already done, with their shuffles replayed.
  loop.step = a.has("resume") ? hebb_model_steps(m.ctx) : 0;
  int64_t first = loop.step / p.perEpoch;
  for (int64_t e = 0; e < first && p.shuffle; ++e)
    loop.shuffle();
  Batch b(m, p.data);
  double seconds = 0;
  Best best;
  std::vector<hebb::driver::EpochMetrics> history;
  hebb::driver::Progress progress(!p.quiet);
  for (int64_t epoch = first; epoch < p.epochs; ++epoch) {
    if (p.shuffle)
      loop.shuffle();
    hebb::driver::EpochMetrics row;
    row.epoch = epoch + 1;
    row.lr = m.lrAt(p.lr, epoch);
    int64_t n;
    progress.start(epoch + 1, p.epochs,
                   p.steps ? std::min(p.perEpoch, p.steps - loop.step)
                           : p.perEpoch);
    auto start = std::chrono::steady_clock::now();
    row.trainLoss = trainEpoch(m, p, loop, b, (float)row.lr, progress, n);
    progress.finish();
    row.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    seconds += row.seconds;
    checkFinite(m, epoch);
    std::string line = "epoch " + std::to_string(epoch + 1) + "/" +
                       std::to_string(p.epochs) + "  loss " +
                       fixed(row.trainLoss, 4);
    bool stop = validate(m, p, best, row, line);
    line += "  (" + fixed(row.seconds, 2) + " s, " +
            fixed(n / std::max(row.seconds, 1e-9), 0) + " steps/s)";
    if (!p.quiet)
      std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    history.push_back(row);
    if (a.has("checkpoint"))
      check(hebb_model_save(m.ctx, a.get("checkpoint").c_str()));
    if (a.has("metrics"))
      hebb::driver::writeMetricsCsv(a.get("metrics"), history);
    if (stop) {
      if (!p.quiet)
        std::printf(
            "early stopping: no validation improvement for %lld epochs; "
            "keeping epoch %lld's parameters\n",
            (long long)p.patience, (long long)best.epoch);
      restore(m, best.params);
      break;
    }
  }
  if (a.has("plot"))
    hebb::driver::writeCurvesSvg(a.get("plot"), m.name, history, best.epoch);
  report(m, p, loop, seconds, extras);
  if (a.has("save"))
    check(hebb_model_save_parameters(m.ctx, a.get("save").c_str()));
  return 0;
}

int eval(Model &m, const Parsed &a) {
  if (!m.trainable)
    throw Error(m.name + " was compiled without a training section (its loss)");
  Dataset data = dataFrom(m, a, true);
  check(hebb_model_init_params(m.ctx, a.integer("seed", 0, 0, INT64_MAX)));
  if (a.has("init"))
    check(hebb_model_load(m.ctx, a.get("init").c_str()));
  Score s = evaluate(m, data);
  std::printf("loss %.6f", s.loss);
  if (s.accuracy >= 0)
    std::printf("; accuracy %.4f (%lld/%lld)", s.accuracy, (long long)s.hits,
                (long long)s.positions);
  std::printf("\n");
  return 0;
}

int run(Model &m, const Parsed &a) {
  const bool generate = a.has("generate");
  if (!generate && !a.has("input"))
    throw Error("run needs --input X.npy (NAME=X.npy for each input), or "
                "--generate N");
  if (!generate && a.all("output").size() > 1)
    throw Error("the model has one output: give --output once");
  check(hebb_model_init_params(m.ctx, a.integer("seed", 0, 0, INT64_MAX)));
  if (a.has("init"))
    check(hebb_model_load(m.ctx, a.get("init").c_str()));
  if (generate) {
    std::printf("%s\n", hebb::driver::generateText(
                            m.ctx, hebb::driver::generateOptions(a))
                            .c_str());
    return 0;
  }
  std::vector<std::string> files = inputFiles(m, "input", a.all("input"));
  std::vector<hebb::data::Owned> xs;
  std::vector<const void *> in;
  for (size_t i = 0; i < files.size(); ++i) {
    int64_t count = 0;
    xs.push_back(rethrow([&] {
      return hebb::data::loadSamples(files[i], dataSpec(m.inputs[i]), count);
    }));
    in.push_back(xs.back().t.data);
    if (count != m.batch)
      throw Error(files[i] + ": " + std::to_string(count) +
                  " samples; this program was compiled for batches of " +
                  std::to_string(m.batch));
  }
  Owned y;
  std::vector<int64_t> shape = m.output.shape;
  check(hebb_tensor_alloc(&y.t, HEBB_F32, (int32_t)shape.size(), shape.data()));
  void *out[1] = {y.t.data};
  check(hebb_model_infer(m.ctx, in.data(), out));
  if (a.has("output"))
    check(hebb_npy_write(
        fileFor("output", a.get("output"), m.output.name).c_str(), &y.t));
  else
    hebb::driver::printTensor(m.output.name, y.t);
  return 0;
}

} // namespace

int hebb::driver::run(const hebb_model_desc *desc, const std::string &command,
                      const flags::Parsed &args, const Extras &extras) {
  hebb::rt::removeTemporariesOnSignals();
  Model m(desc);
  if (command == "train")
    return train(m, args, extras);
  if (command == "eval")
    return eval(m, args);
  return ::run(m, args);
}

int hebb::driver::main(const hebb_model_desc *desc, int argc, char **argv) {
  std::string self = argc > 0 ? argv[0] : "model";
  std::string name = desc && desc->abi == HEBB_MODEL_ABI ? "" : "?";
  try {
    std::string cmd = argc > 1 ? argv[1] : "--help";
    const Command *command = findCommand(cmd);
    if (!command) {
      if (cmd != "--help" && cmd != "-h" && cmd != "help")
        throw Error("unknown command '" + cmd +
                    "' (expected train, eval or "
                    "run; see --help)");
      std::printf("usage: %s COMMAND [options]\n\nA model compiled by hebb. "
                  "Commands:\n",
                  self.c_str());
      for (const Command &c : commands())
        std::printf("  %-7s %s\n", c.name.c_str(), c.brief.c_str());
      std::printf("\nRun '%s COMMAND --help' for a command's options.\n",
                  self.c_str());
      return 0;
    }
    flags::Parsed args = flags::parse(
        std::vector<std::string>(argv + 2, argv + argc), command->flags);
    if (args.has("help")) {
      std::printf("%s", helpText(self, *command, {}, "").c_str());
      return 0;
    }
    if (!args.positional.empty())
      throw Error("unexpected argument '" + args.positional[0] +
                  "' (see --help)");
    return run(desc, cmd, args, {});
  } catch (const std::exception &e) {
    std::fprintf(stderr, "%s: %s\n", self.c_str(), e.what());
    return 1;
  }
}

extern "C" int hebb_driver_main(const hebb_model_desc *desc, int argc,
                                char **argv) {
  return hebb::driver::main(desc, argc, argv);
}
