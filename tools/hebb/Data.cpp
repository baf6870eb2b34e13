//===- Data.cpp - datasets for hebb train and hebb eval -------------------===//

#include "tools/hebb/Data.h"

#include "hebb/data.h"

#include <cstring>
#include <sys/stat.h>

namespace hebb::tool {

DataFiles namedDataset(const std::string &name, bool test) {
  if (name != "fashion-mnist")
    throw UsageError("unknown dataset '" + name + "' (known: fashion-mnist)");
  std::string dir = HEBB_FASHION_MNIST_DIR;
  std::string split = test ? "t10k" : "train";
  DataFiles f{dir + "/" + split + "-images-idx3-ubyte.gz",
              dir + "/" + split + "-labels-idx1-ubyte.gz"};
  struct stat st;
  if (stat(f.x.c_str(), &st) != 0)
    throw UsageError(f.x + ": not found; install Debian's dataset-fashion-mnist "
                           "(scripts/setup-deps.sh does)");
  return f;
}

namespace {
int64_t product(const std::vector<int64_t> &s, size_t from) {
  int64_t n = 1;
  for (size_t i = from; i < s.size(); ++i)
    n *= s[i];
  return n;
}

Tensor read(const std::string &path) {
  hebb_tensor raw;
  if (hebb_data_read(path.c_str(), &raw) != HEBB_OK)
    throw UsageError(hebb_last_error());
  return Tensor(raw);
}

/// Converts `t` to `spec`'s element type with the samples' shape
/// [count, spec.shape[1:]...].
Tensor toModel(Tensor t, const frontend::TensorSpec &spec, int64_t count,
               const std::string &path, const char *what) {
  hebb_tensor conv;
  bool scale = t.raw().dtype == HEBB_U8 && spec.dtype == HEBB_F32;
  if (hebb_tensor_convert(&t.raw(), spec.dtype, &conv) != HEBB_OK)
    throw UsageError(path + ": " + what + ": " + hebb_last_error());
  Tensor out(conv);
  if (scale) {
    float *v = (float *)out.raw().data;
    for (int64_t i = 0, e = hebb_tensor_numel(&out.raw()); i < e; ++i)
      v[i] *= 1.0f / 255.0f;
  }
  hebb_tensor &r = out.raw();
  r.rank = (int32_t)spec.shape.size();
  r.shape[0] = count;
  for (size_t i = 1; i < spec.shape.size(); ++i)
    r.shape[i] = spec.shape[i];
  return out;
}
} // namespace

Dataset loadDataset(const DataFiles &files, const frontend::Model &model) {
  Tensor x = read(files.x), y = read(files.y);
  const auto &in = model.inputs[0];
  const auto &labels = model.training.labels;
  auto samples = [](const std::vector<int64_t> &s) {
    std::vector<int64_t> r(s.begin() + 1, s.end());
    return "[samples" + (r.empty() ? std::string() : ", " + shapeString(r).substr(1));
  };
  if (x.raw().rank < 1 || product(x.shape(), 1) != product(in.shape, 1))
    throw UsageError(files.x + " has shape " + shapeString(x.shape()) +
                     ", the model expects " + samples(in.shape));
  if (y.raw().rank < 1 || product(y.shape(), 1) != product(labels.shape, 1))
    throw UsageError(files.y + " has shape " + shapeString(y.shape()) +
                     ", the loss expects " + samples(labels.shape));
  int64_t count = x.raw().shape[0];
  if (y.raw().shape[0] != count)
    throw UsageError(files.y + " has " + std::to_string(y.raw().shape[0]) +
                     " labels for " + std::to_string(count) + " samples in " +
                     files.x);
  if (count == 0)
    throw UsageError(files.x + " holds no samples");
  Dataset d;
  d.name = files.x;
  d.x = toModel(std::move(x), in, count, files.x, "inputs");
  d.y = toModel(std::move(y), labels, count, files.y, "labels");
  d.count = count;
  d.xRow = hebb_tensor_nbytes(&d.x.raw()) / count;
  d.yRow = hebb_tensor_nbytes(&d.y.raw()) / count;
  if (labels.dtype == HEBB_I32) {
    int64_t classes = model.outputs[0].shape.back();
    const int32_t *l = (const int32_t *)d.y.raw().data;
    for (int64_t i = 0; i < count; ++i)
      if (l[i] < 0 || l[i] >= classes)
        throw UsageError(files.y + ": label " + std::to_string(l[i]) +
                         " of sample " + std::to_string(i) +
                         " is outside the model's " + std::to_string(classes) +
                         " classes");
  }
  return d;
}

Dataset splitOff(Dataset &d, double fraction) {
  int64_t held = (int64_t)(d.count * fraction);
  if (held <= 0 || held >= d.count)
    throw UsageError("a validation split of " + std::to_string(fraction) +
                     " leaves no training or no validation samples out of " +
                     std::to_string(d.count));
  auto cut = [&](Tensor &src, size_t row) {
    hebb_tensor t = src.raw();
    t.shape[0] = held;
    hebb_tensor part;
    check(hebb_tensor_alloc(&part, t.dtype, t.rank, t.shape));
    std::memcpy(part.data, (char *)src.raw().data + (d.count - held) * row,
                held * row);
    src.raw().shape[0] = d.count - held; // the tail stays allocated, unused
    return Tensor(part);
  };
  Dataset v;
  v.name = d.name + " (validation split)";
  v.x = cut(d.x, d.xRow);
  v.y = cut(d.y, d.yRow);
  v.count = held;
  v.xRow = d.xRow;
  v.yRow = d.yRow;
  d.count -= held;
  return v;
}

void gather(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t count, Tensor &x, Tensor &y) {
  for (int64_t i = 0; i < count; ++i) {
    int64_t s = order[(first + i) % order.size()];
    std::memcpy((char *)x.raw().data + i * d.xRow,
                (const char *)d.x.raw().data + s * d.xRow, d.xRow);
    std::memcpy((char *)y.raw().data + i * d.yRow,
                (const char *)d.y.raw().data + s * d.yRow, d.yRow);
  }
}

} // namespace hebb::tool
