//===- Data.cpp - datasets for hebb train and hebb eval -------------------===//

#include "tools/hebb/Data.h"

namespace hebb::tool {

namespace {
data::Spec spec(const frontend::TensorSpec &s) { return {s.dtype, s.shape}; }

template <typename F> auto rethrow(F &&f) -> decltype(f()) {
  try {
    return f();
  } catch (const data::Error &e) {
    throw UsageError(e.what());
  }
}
} // namespace

DataFiles namedDataset(const std::string &name, bool test) {
  DataFiles f;
  rethrow([&] {
    data::namedDataset(name, test, f.x, f.y);
    return 0;
  });
  return f;
}

Dataset loadDataset(const DataFiles &files, const frontend::Model &model) {
  return rethrow([&] {
    return data::load(files.x, files.y, spec(model.inputs[0]),
                      spec(model.training.labels),
                      model.outputs[0].shape.back());
  });
}

Dataset splitOff(Dataset &d, double fraction) {
  return rethrow([&] { return data::splitOff(d, fraction); });
}

void gather(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t count, Tensor &x, Tensor &y) {
  data::gather(d, order, first, count, x.raw().data, y.raw().data);
}

int64_t countCorrect(const frontend::Model &model, const Tensor &out,
                     const Tensor &labels, int64_t rows) {
  const auto &o = model.outputs[0];
  if (o.shape.size() != 2 || o.dtype != HEBB_F32)
    return -1;
  return data::countCorrect(model.training.loss, model.training.labels.dtype,
                            o.shape[1], (const float *)out.raw().data,
                            labels.raw().data, rows);
}

} // namespace hebb::tool
