//===- Dataset.cpp - datasets in memory for training drivers --------------===//

#include "Dataset.h"

#include "hebb/data.h"

#include "Parallel.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace hebb::data {

int64_t Spec::perSample() const {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i)
    n *= shape[i];
  return n;
}

namespace {
std::string shapeString(const int64_t *shape, int32_t rank, size_t from = 0) {
  std::string s = "[";
  for (int32_t i = (int32_t)from; i < rank; ++i)
    s += (i > (int32_t)from ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string samplesOf(const Spec &s) {
  std::string inner = shapeString(s.shape.data(), (int32_t)s.shape.size(), 1);
  return "[samples" + (s.shape.size() > 1 ? ", " + inner.substr(1) : "]");
}

Owned read(const std::string &path) {
  Owned o;
  if (hebb_data_read(path.c_str(), &o.t) != HEBB_OK)
    throw Error(hebb_last_error());
  return o;
}

/// `raw` converted to `spec`'s type with shape [count, spec.shape[1:]...].
Owned convert(Owned raw, const Spec &spec, int64_t count,
              const std::string &path, const char *what) {
  Owned out;
  bool scale = raw.t.dtype == HEBB_U8 && spec.dtype == HEBB_F32;
  if (hebb_tensor_convert(&raw.t, spec.dtype, &out.t) != HEBB_OK)
    throw Error(path + ": " + what + ": " + hebb_last_error());
  if (scale) {
    float *v = (float *)out.t.data;
    for (int64_t i = 0, e = hebb_tensor_numel(&out.t); i < e; ++i)
      v[i] *= 1.0f / 255.0f;
  }
  out.t.rank = (int32_t)spec.shape.size();
  out.t.shape[0] = count;
  for (size_t i = 1; i < spec.shape.size(); ++i)
    out.t.shape[i] = spec.shape[i];
  return out;
}

/// f32 values finite and within the spec's range; the first bad one is
/// named by sample and position.
void checkValues(const hebb_tensor &t, const Spec &spec,
                 const std::string &name, const char *what) {
  if (t.dtype != HEBB_F32)
    return;
  const float *v = (const float *)t.data;
  int64_t n = hebb_tensor_numel(&t),
          per = std::max<int64_t>(spec.perSample(), 1);
  for (int64_t i = 0; i < n; ++i) {
    if (std::isfinite(v[i]) && v[i] >= spec.min && v[i] <= spec.max)
      continue;
    std::string where = name + ": " + what + " " + std::to_string(i % per) +
                        " of sample " + std::to_string(i / per) + " is " +
                        std::to_string(v[i]);
    if (!std::isfinite(v[i]))
      throw Error(where + " (data must be finite)");
    char range[64];
    std::snprintf(range, sizeof range, "[%g, %g]", spec.min, spec.max);
    throw Error(where + ", outside " + range + " (the loss's labels)");
  }
}

int64_t perSampleOf(const hebb_tensor &t) {
  int64_t n = 1;
  for (int32_t i = 1; i < t.rank; ++i)
    n *= t.shape[i];
  return n;
}
} // namespace

void namedDataset(const std::string &name, bool test, std::string &x,
                  std::string &y) {
  if (name != "fashion-mnist")
    throw Error("unknown dataset '" + name + "' (known: fashion-mnist)");
  std::string dir = HEBB_FASHION_MNIST_DIR, split = test ? "t10k" : "train";
  x = dir + "/" + split + "-images-idx3-ubyte.gz";
  y = dir + "/" + split + "-labels-idx1-ubyte.gz";
  struct stat st;
  if (stat(x.c_str(), &st) != 0)
    throw Error(x + ": not found; install Debian's dataset-fashion-mnist "
                    "(scripts/setup-deps.sh does)");
}

Dataset load(const std::vector<std::string> &xPaths, const std::string &yPath,
             const std::vector<Spec> &inputs, const Spec &labels,
             int64_t classes) {
  std::vector<Samples> xs;
  for (const std::string &path : xPaths)
    xs.push_back({read(path), path});
  return fromTensors(std::move(xs), read(yPath), yPath, inputs, labels,
                     classes);
}

Dataset fromTensors(std::vector<Samples> xs, Owned y, const std::string &yName,
                    const std::vector<Spec> &inputs, const Spec &labels,
                    int64_t classes) {
  if (xs.size() != inputs.size() || xs.empty())
    throw Error("the model has " + std::to_string(inputs.size()) +
                " inputs, the data " + std::to_string(xs.size()));
  for (size_t i = 0; i < xs.size(); ++i) {
    const hebb_tensor &t = xs[i].x.t;
    if (t.rank < 1 || perSampleOf(t) != inputs[i].perSample())
      throw Error(xs[i].name + " has shape " + shapeString(t.shape, t.rank) +
                  ", the model expects " + samplesOf(inputs[i]));
  }
  if (y.t.rank < 1 || perSampleOf(y.t) != labels.perSample())
    throw Error(yName + " has shape " + shapeString(y.t.shape, y.t.rank) +
                ", the loss expects " + samplesOf(labels));
  const std::string &xName = xs[0].name;
  int64_t count = xs[0].x.t.shape[0];
  for (const Samples &s : xs)
    if (s.x.t.shape[0] != count)
      throw Error(s.name + " has " + std::to_string(s.x.t.shape[0]) +
                  " samples, " + xName + " " + std::to_string(count));
  if (y.t.shape[0] != count)
    throw Error(yName + " has " + std::to_string(y.t.shape[0]) +
                " labels for " + std::to_string(count) + " samples in " +
                xName);
  if (count == 0)
    throw Error(xName + " holds no samples");
  Dataset d;
  d.name = xName;
  for (size_t i = 0; i < xs.size(); ++i) {
    d.xs.push_back(
        convert(std::move(xs[i].x), inputs[i], count, xs[i].name, "inputs"));
    checkValues(d.xs.back().t, inputs[i], xs[i].name, "input");
    d.xRows.push_back(hebb_tensor_nbytes(&d.xs.back().t) / count);
  }
  d.y = convert(std::move(y), labels, count, yName, "labels");
  checkValues(d.y.t, labels, yName, "label");
  d.count = count;
  d.yRow = hebb_tensor_nbytes(&d.y.t) / count;
  if (labels.dtype == HEBB_I32 && classes > 0) {
    const int32_t *l = (const int32_t *)d.y.t.data;
    for (int64_t i = 0; i < count; ++i)
      if (l[i] < 0 || l[i] >= classes)
        throw Error(yName + ": label " + std::to_string(l[i]) + " of sample " +
                    std::to_string(i) + " is outside the model's " +
                    std::to_string(classes) + " classes");
  }
  return d;
}

Owned loadSamples(const std::string &path, const Spec &spec, int64_t &count) {
  Owned x = read(path);
  if (x.t.rank < 1 || perSampleOf(x.t) != spec.perSample())
    throw Error(path + " has shape " + shapeString(x.t.shape, x.t.rank) +
                ", the model expects " + samplesOf(spec));
  count = x.t.shape[0];
  Owned out = convert(std::move(x), spec, count, path, "inputs");
  checkValues(out.t, spec, path, "input");
  return out;
}

Dataset splitOff(Dataset &d, double fraction) {
  int64_t held = (int64_t)(d.count * fraction);
  if (held <= 0 || held >= d.count)
    throw Error("a validation split of " + std::to_string(fraction) +
                " leaves no training or no validation samples out of " +
                std::to_string(d.count));
  auto cut = [&](Owned &src, size_t row) {
    Owned part;
    hebb_tensor shape = src.t;
    shape.shape[0] = held;
    if (hebb_tensor_alloc(&part.t, shape.dtype, shape.rank, shape.shape) !=
        HEBB_OK)
      throw Error(hebb_last_error());
    std::memcpy(part.t.data, (char *)src.t.data + (d.count - held) * row,
                held * row);
    src.t.shape[0] = d.count - held; // the tail stays allocated, unused
    return part;
  };
  Dataset v;
  v.name = d.name + " (validation split)";
  for (size_t i = 0; i < d.xs.size(); ++i)
    v.xs.push_back(cut(d.xs[i], d.xRows[i]));
  v.y = cut(d.y, d.yRow);
  v.count = held;
  v.xRows = d.xRows;
  v.yRow = d.yRow;
  d.count -= held;
  return v;
}

void gather(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t count, void *const *xs, void *y) {
  // Rows from all over the dataset: bound by memory latency (counted as a
  // float's copy per byte), so a large batch is copied on all threads
  // (between the steps' kernels, which would leave them idle otherwise).
  auto run = [&](bool shared) {
    hebb::runtime::forEach(count, shared, [&](int64_t i) {
      int64_t s = order[(first + i) % order.size()];
      for (size_t k = 0; k < d.xs.size(); ++k)
        std::memcpy((char *)xs[k] + i * d.xRows[k],
                    (const char *)d.xs[k].t.data + s * d.xRows[k], d.xRows[k]);
      std::memcpy((char *)y + i * d.yRow, (const char *)d.y.t.data + s * d.yRow,
                  d.yRow);
    });
  };
  size_t row = d.yRow;
  for (size_t r : d.xRows)
    row += r;
  hebb::runtime::maybeParallel(
      hebb::runtime::threadedCopy(count * int64_t(row)), run);
}

int64_t countCorrect(const std::string &loss, hebb_dtype labelsType,
                     int64_t classes, const float *outputs, const void *labels,
                     int64_t rows) {
  bool classifier = loss == "softmax_cross_entropy" || loss == "nll" ||
                    loss == "categorical_crossentropy" || loss == "bce" ||
                    loss == "bce_with_logits";
  if (!classifier || classes < 1)
    return -1;
  auto argmax = [](const float *v, int64_t n) {
    return std::max_element(v, v + n) - v;
  };
  int64_t correct = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = outputs + r * classes;
    if (labelsType == HEBB_I32) {
      correct += argmax(row, classes) == ((const int32_t *)labels)[r];
    } else if (classes == 1) {
      bool pos = loss == "bce_with_logits" ? row[0] > 0 : row[0] > 0.5f;
      correct += pos == (((const float *)labels)[r] > 0.5f);
    } else {
      correct += argmax(row, classes) ==
                 argmax((const float *)labels + r * classes, classes);
    }
  }
  return correct;
}

} // namespace hebb::data
