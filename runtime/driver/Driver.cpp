//===- Driver.cpp - train, eval and run for a compiled model --------------===//
//
// The main() of `hebb compile --emit=exe` programs. Everything goes through
// the public hebb_model_* API and libhebbdata, so the program needs no
// compiler: the model's entries are in the executable. Flags and output
// follow `hebb train`, `hebb eval` and `hebb run`; the shuffling generator
// is the same, so a run matches `hebb train` with the same seed.
//
//===----------------------------------------------------------------------===//

#include "hebb/data.h"
#include "hebb/driver.h"

#include "data/Dataset.h"
#include "driver/Driver.h"
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
  Spec input, output, labels;
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
    if (hebb_model_count(ctx, HEBB_ROLE_INPUT) != 1 ||
        hebb_model_count(ctx, HEBB_ROLE_OUTPUT) < 1)
      throw Error(name + ": the driver supports models with one input");
    input = spec(ctx, HEBB_ROLE_INPUT, 0);
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

struct Args {
  std::map<std::string, std::string> values;
  bool has(const std::string &k) const { return values.count(k) > 0; }
  std::string get(const std::string &k, const std::string &d = "") const {
    auto it = values.find(k);
    return it == values.end() ? d : it->second;
  }
  int64_t integer(const std::string &k, int64_t d) const {
    if (!has(k))
      return d;
    char *end;
    long long v = std::strtoll(get(k).c_str(), &end, 10);
    if (*end || v < 0)
      throw Error("--" + k + " " + get(k) + ": expected a non-negative integer");
    return v;
  }
};

Args parse(int argc, char **argv, const std::vector<std::string> &valued,
           const std::vector<std::string> &switches) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) != 0)
      throw Error("unexpected argument '" + s + "' (see --help)");
    s = s.substr(2);
    std::string value;
    size_t eq = s.find('=');
    if (eq != std::string::npos) {
      value = s.substr(eq + 1);
      s = s.substr(0, eq);
    }
    bool takes = std::find(valued.begin(), valued.end(), s) != valued.end();
    bool flag = std::find(switches.begin(), switches.end(), s) != switches.end();
    if (!takes && !flag)
      throw Error("unknown option --" + s + " (see --help)");
    if (takes && eq == std::string::npos) {
      if (i + 1 >= argc)
        throw Error("--" + s + " needs a value");
      value = argv[++i];
    }
    a.values[s] = value;
  }
  return a;
}

using hebb::data::Dataset;

hebb::data::Spec dataSpec(const Spec &s) { return {s.dtype, s.shape}; }

/// Data errors become driver errors (one line naming the file).
template <typename F> auto rethrow(F &&f) -> decltype(f()) {
  try {
    return f();
  } catch (const hebb::data::Error &e) {
    throw Error(e.what());
  }
}

Dataset loadData(const Model &m, const std::string &xPath,
                 const std::string &yPath) {
  return rethrow([&] {
    return hebb::data::load(xPath, yPath, dataSpec(m.input), dataSpec(m.labels),
                            m.output.shape.back());
  });
}

/// The named dataset to use: --data, else the model's unless files are
/// given.
std::string datasetName(const Model &m, const Args &a) {
  if (a.has("data"))
    return a.get("data");
  return a.has("data-x") || a.has("data-y") ? "" : m.training.dataset;
}

Dataset dataFrom(const Model &m, const Args &a, bool test) {
  std::string x = a.get("data-x"), y = a.get("data-y");
  if (a.has("data-x") != a.has("data-y"))
    throw Error("--data-x and --data-y go together");
  std::string named = datasetName(m, a);
  if (!named.empty())
    rethrow([&] {
      hebb::data::namedDataset(named, test, x, y);
      return 0;
    });
  if (x.empty() || y.empty())
    throw Error("needs data: --data-x X --data-y Y, --data fashion-mnist, or "
                "\"data\" in the model's training section");
  return loadData(m, x, y);
}

/// Correct predictions in the first `rows` rows (-1: not a classifier).
int64_t correct(const Model &m, const float *out, const void *labels,
                int64_t rows) {
  if (m.output.shape.size() != 2)
    return -1;
  return hebb::data::countCorrect(m.training.loss, m.labels.dtype, m.output.shape[1],
                                  out, labels, rows);
}

struct Batch {
  std::vector<char> x, y;
  std::vector<float> out;
  Batch(const Model &m, const Dataset &d)
      : x(d.xRow * m.batch), y(d.yRow * m.batch),
        out(m.output.perSample() * m.batch) {}
  void fill(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t B) {
    hebb::data::gather(d, order, first, B, x.data(), y.data());
  }
};

/// Loss and accuracy over every sample. The last partial batch is
/// evaluated one sample at a time, each replicated across a batch, so no
/// sample is dropped or counted twice.
void evaluate(const Model &m, const Dataset &d, double &loss, double &acc,
              int64_t &hits) {
  Batch b(m, d);
  std::vector<int64_t> order(d.count);
  std::iota(order.begin(), order.end(), 0);
  const void *in[1] = {b.x.data()};
  void *out[1] = {b.out.data()};
  double sum = 0;
  hits = 0;
  bool classify = true;
  const int64_t B = m.batch, full = d.count / B * B;
  for (int64_t first = 0; first < full; first += B) {
    b.fill(d, order, first, B);
    float l;
    check(hebb_model_eval(m.ctx, in, b.y.data(), &l, out));
    sum += (m.training.mean ? l * B : l);
    int64_t c = correct(m, b.out.data(), b.y.data(), B);
    classify = classify && c >= 0;
    hits += std::max<int64_t>(c, 0);
  }
  for (int64_t s = full; s < d.count; ++s) {
    std::vector<int64_t> one(1, s);
    b.fill(d, one, 0, B);
    float l;
    check(hebb_model_eval(m.ctx, in, b.y.data(), &l, out));
    sum += m.training.mean ? l : l / B;
    int64_t c = correct(m, b.out.data(), b.y.data(), 1);
    classify = classify && c >= 0;
    hits += std::max<int64_t>(c, 0);
  }
  loss = sum / d.count;
  acc = classify ? (double)hits / d.count : -1;
}

const char *kHelp = R"(usage: %s COMMAND [options]

The model %s, compiled by hebb. Commands:
  train   --data-x X --data-y Y | --data fashion-mnist  [--test-x X --test-y Y]
          [--epochs N] [--steps N] [--no-shuffle] [--seed N] [--lr X]
          [--validation-split F] [--patience N] [--metrics F.csv] [--plot F.svg]
          [--init W.safetensors | --resume CHECKPOINT] [--save W.safetensors]
          [--checkpoint F] [--quiet]
  eval    --init W.safetensors  (--data-x X --data-y Y | --data fashion-mnist)
  run     --init W.safetensors --input X.npy [--output Y.npy]
Data: .npy, IDX (raw or .gz; bytes scaled to [0, 1]) or .csv.
)";

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

int train(Model &m, int argc, char **argv, const hebb::driver::Extras &extras) {
  Args a = parse(argc, argv,
                 {"data", "data-x", "data-y", "test-x", "test-y", "epochs",
                  "steps", "seed", "lr", "init", "resume", "save", "checkpoint",
                  "validation-split", "patience", "metrics", "plot"},
                 {"no-shuffle", "quiet"});
  if (!m.trainable)
    throw Error(m.name + " has no training section (loss and optimizer)");
  if (a.has("init") && a.has("resume"))
    throw Error("give --init or --resume, not both");
  Dataset data = dataFrom(m, a, false);
  std::unique_ptr<Dataset> test, validation;
  if (a.has("test-x") != a.has("test-y"))
    throw Error("--test-x and --test-y go together");
  if (a.has("test-x"))
    test = std::make_unique<Dataset>(loadData(m, a.get("test-x"), a.get("test-y")));
  else if (!datasetName(m, a).empty())
    test = std::make_unique<Dataset>(dataFrom(m, a, true));
  double split = m.training.validation_split;
  if (a.has("validation-split")) {
    split = std::strtod(a.get("validation-split").c_str(), nullptr);
    if (!(split > 0 && split < 1))
      throw Error("--validation-split needs a fraction in (0, 1)");
  }
  if (split > 0)
    validation = std::make_unique<Dataset>(
        rethrow([&] { return hebb::data::splitOff(data, split); }));
  int64_t patience = a.integer("patience", m.training.patience);
  if (patience && !validation)
    throw Error("early stopping (--patience) needs a validation split");
  uint64_t seed = a.integer("seed", 0);
  if (a.has("resume")) { // a checkpoint, not just parameters
    hebb_safetensors *file = nullptr;
    check(hebb_safetensors_open(a.get("resume").c_str(), &file));
    hebb_tensor progress;
    bool ok = hebb_safetensors_get(file, "optimizer.progress", &progress) == HEBB_OK;
    if (ok)
      hebb_tensor_free(&progress);
    hebb_safetensors_close(file);
    if (!ok)
      throw Error(a.get("resume") + ": no tensor named 'optimizer.progress' "
                                    "(not a checkpoint written by --checkpoint?)");
  }
  check(hebb_model_init_params(m.ctx, seed));
  if (a.has("init") || a.has("resume"))
    check(hebb_model_load(m.ctx, a.get(a.has("init") ? "init" : "resume").c_str()));
  const int64_t B = m.batch;
  if (data.count < B)
    throw Error(data.name + ": " + std::to_string(data.count) +
                " training samples, fewer than one batch of " + std::to_string(B));
  int64_t perEpoch = data.count / B, steps = a.integer("steps", 0);
  int64_t epochs = steps ? (steps + perEpoch - 1) / perEpoch : a.integer("epochs", m.training.epochs);
  if (epochs < 1)
    throw Error("--epochs needs at least 1");
  double baseLr = a.has("lr") ? std::strtod(a.get("lr").c_str(), nullptr) : m.training.lr;
  bool shuffle = !a.has("no-shuffle") && !steps, quiet = a.has("quiet");
  std::vector<int64_t> order(data.count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed ^ 0x9E3779B97F4A7C15ull);
  // Resuming: the epochs already done, with their shuffles replayed.
  int64_t step = a.has("resume") ? hebb_model_steps(m.ctx) : 0;
  int64_t first = a.has("resume") ? step / perEpoch : 0;
  for (int64_t e = 0; e < first && shuffle; ++e)
    for (size_t i = order.size(); i > 1; --i)
      std::swap(order[i - 1], order[rng() % i]);
  Batch b(m, data);
  const void *in[1] = {b.x.data()};
  double seconds = 0, best = INFINITY;
  int64_t sinceBest = 0, bestEpoch = 0;
  std::vector<std::vector<char>> bestParams;
  std::vector<hebb::driver::EpochMetrics> history;
  hebb::driver::Progress progress(!quiet);
  for (int64_t epoch = first; epoch < epochs; ++epoch) {
    if (shuffle)
      for (size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng() % i]);
    hebb::driver::EpochMetrics row;
    row.epoch = epoch + 1;
    row.lr = m.lrAt(baseLr, epoch);
    float lr = (float)row.lr;
    int64_t todo = steps ? std::min(perEpoch, steps - step) : perEpoch;
    progress.start(epoch + 1, epochs, todo);
    auto start = std::chrono::steady_clock::now();
    double sum = 0;
    int64_t n = 0;
    for (int64_t k = 0; k < todo; ++k) {
      b.fill(data, order, (steps ? step : k) * B, B);
      float l;
      check(hebb_model_train_step(m.ctx, in, b.y.data(), lr, &l));
      if (!std::isfinite(l))
        throw Error("the loss became " + std::to_string(l) + " at step " +
                    std::to_string(step + 1) +
                    " (lower the learning rate?); nothing more was saved");
      sum += l;
      ++n;
      ++step;
      progress.update(k + 1, sum / n);
    }
    progress.finish();
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    seconds += row.seconds;
    row.trainLoss = n ? sum / n : NAN;
    checkFinite(m, epoch);
    std::string line = "epoch " + std::to_string(epoch + 1) + "/" +
                       std::to_string(epochs) + "  loss " + fixed(row.trainLoss, 4);
    bool stop = false;
    if (validation) {
      double valAcc;
      int64_t hits;
      evaluate(m, *validation, row.valLoss, valAcc, hits);
      line += "  val_loss " + fixed(row.valLoss, 4);
      if (valAcc >= 0) {
        row.valAccuracy = valAcc;
        line += "  val_accuracy " + fixed(valAcc, 4);
      }
      if (row.valLoss < best - m.training.min_delta) {
        best = row.valLoss;
        bestEpoch = epoch + 1;
        sinceBest = 0;
        if (patience)
          bestParams = snapshot(m);
      } else if (patience && ++sinceBest >= patience) {
        stop = true;
      }
    }
    line += "  (" + fixed(row.seconds, 2) + " s, " +
            fixed(n / std::max(row.seconds, 1e-9), 0) + " steps/s)";
    if (!quiet)
      std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    history.push_back(row);
    if (a.has("checkpoint"))
      check(hebb_model_save(m.ctx, a.get("checkpoint").c_str()));
    if (a.has("metrics"))
      hebb::driver::writeMetricsCsv(a.get("metrics"), history);
    if (stop) {
      if (!quiet)
        std::printf("early stopping: no validation improvement for %lld epochs; "
                    "keeping epoch %lld's parameters\n",
                    (long long)patience, (long long)bestEpoch);
      restore(m, bestParams);
      break;
    }
  }
  if (a.has("plot"))
    hebb::driver::writeCurvesSvg(a.get("plot"), m.name, history);
  double loss, acc;
  int64_t hits;
  const Dataset &final = test ? *test : data;
  evaluate(m, final, loss, acc, hits);
  const char *which = test ? "test" : "training";
  std::string compile = extras.compileMs >= 0
                            ? ", compile " + fixed(extras.compileMs, 0) + " ms"
                            : "";
  std::printf("trained %lld steps in %.2f s (%.1f steps/s%s); %s loss %.4f",
              (long long)step, seconds, seconds > 0 ? step / seconds : 0.0,
              compile.c_str(), which, loss);
  if (acc >= 0)
    std::printf("; %s accuracy %.4f (%lld/%lld)", which, acc, (long long)hits,
                (long long)final.count);
  std::printf("\n");
  if (a.has("save"))
    check(hebb_model_save_parameters(m.ctx, a.get("save").c_str()));
  return 0;
}

int eval(Model &m, int argc, char **argv) {
  Args a = parse(argc, argv, {"data", "data-x", "data-y", "init", "seed"}, {});
  if (!m.trainable)
    throw Error(m.name + " was compiled without a training section (its loss)");
  Dataset data = dataFrom(m, a, true);
  check(hebb_model_init_params(m.ctx, a.integer("seed", 0)));
  if (a.has("init"))
    check(hebb_model_load(m.ctx, a.get("init").c_str()));
  double loss, acc;
  int64_t hits;
  evaluate(m, data, loss, acc, hits);
  std::printf("loss %.6f", loss);
  if (acc >= 0)
    std::printf("; accuracy %.4f (%lld/%lld)", acc, (long long)hits,
                (long long)data.count);
  std::printf("\n");
  return 0;
}

int run(Model &m, int argc, char **argv) {
  Args a = parse(argc, argv, {"init", "input", "output", "seed"}, {});
  if (!a.has("input"))
    throw Error("run needs --input X.npy");
  check(hebb_model_init_params(m.ctx, a.integer("seed", 0)));
  if (a.has("init"))
    check(hebb_model_load(m.ctx, a.get("init").c_str()));
  int64_t count = 0;
  hebb::data::Owned x = rethrow(
      [&] { return hebb::data::loadSamples(a.get("input"), dataSpec(m.input), count); });
  if (count != m.batch)
    throw Error(a.get("input") + ": " + std::to_string(count) +
                " samples; this program was compiled for batches of " +
                std::to_string(m.batch));
  Owned y;
  std::vector<int64_t> shape = m.output.shape;
  check(hebb_tensor_alloc(&y.t, HEBB_F32, (int32_t)shape.size(), shape.data()));
  const void *in[1] = {x.t.data};
  void *out[1] = {y.t.data};
  check(hebb_model_infer(m.ctx, in, out));
  if (a.has("output")) {
    check(hebb_npy_write(a.get("output").c_str(), &y.t));
  } else {
    int64_t per = m.output.perSample();
    for (int64_t r = 0; r < m.batch; ++r) {
      for (int64_t c = 0; c < per; ++c)
        std::printf("%s%.6g", c ? " " : "", ((float *)y.t.data)[r * per + c]);
      std::printf("\n");
    }
  }
  return 0;
}

} // namespace

int hebb::driver::main(const hebb_model_desc *desc, int argc, char **argv,
                       const Extras &extras) {
  const char *self = argc > 0 ? argv[0] : "model";
  try {
    Model m(desc);
    std::string cmd = argc > 1 ? argv[1] : "--help";
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      std::printf(kHelp, self, m.name.c_str());
      return 0;
    }
    if (cmd == "train")
      return train(m, argc, argv, extras);
    if (cmd == "eval")
      return eval(m, argc, argv);
    if (cmd == "run")
      return run(m, argc, argv);
    throw Error("unknown command '" + cmd + "' (expected train, eval or run)");
  } catch (const std::exception &e) {
    std::fprintf(stderr, "%s: %s\n", self, e.what());
    return 1;
  }
}

extern "C" int hebb_driver_main(const hebb_model_desc *desc, int argc,
                                char **argv) {
  return hebb::driver::main(desc, argc, argv, {});
}
