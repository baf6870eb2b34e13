//===- Dataset.h - datasets in memory for training drivers ------*- C++ -*-===//
//
/// \file
/// Inputs and labels converted to a model's per-sample layout, shared by
/// `hebb train`/`hebb eval` (JIT) and compiled programs' driver: reading
/// (.npy, IDX, CSV via hebb_data_read), conversion, the [0, 1] scaling of
/// IDX bytes, label checks, validation splits, batch gathering, accuracy.
/// Errors are hebb::data::Error with one line naming the file. Internal to
/// hebb's libraries (C++, not part of the installed C API).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_DATA_DATASET_H
#define HEBB_RUNTIME_DATA_DATASET_H

#include "hebb/runtime.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace hebb::data {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A hebb_tensor that frees itself.
struct Owned {
  hebb_tensor t{};
  Owned() = default;
  Owned(const Owned &) = delete;
  Owned(Owned &&o) noexcept : t(o.t) { o.t.data = nullptr; }
  Owned &operator=(Owned &&o) noexcept {
    std::swap(t, o.t);
    return *this;
  }
  ~Owned() { hebb_tensor_free(&t); }
};

/// A model tensor: element type and shape with the batch dimension first.
struct Spec {
  hebb_dtype dtype = HEBB_F32;
  std::vector<int64_t> shape;
  /// Values must lie in [min, max] (f32 data must also be finite).
  double min = -INFINITY, max = INFINITY;
  int64_t perSample() const;
};

struct Dataset {
  std::vector<Owned> xs; // one per model input, in the model's order
  Owned y;
  int64_t count = 0;
  std::vector<size_t> xRows; // bytes per sample of each input
  size_t yRow = 0;           // bytes per label
  std::string name;          // the (first) inputs file, for messages
};

/// One input's samples and the file (or text) they came from.
struct Samples {
  Owned x;
  std::string name;
};

/// The files of a named dataset ("fashion-mnist"); `test` picks the test
/// split. Fails with a hint when it is not installed.
void namedDataset(const std::string &name, bool test, std::string &x,
                  std::string &y);

/// Reads inputs (a file per model input, in order) and labels for a model
/// with `inputs` and `labels` specs: any per-sample shape with the right
/// element count, equal sample counts, class indices in [0, classes) when
/// `classes` > 0 and labels are i32. Unsigned bytes feeding f32 (IDX
/// images) are scaled to [0, 1].
Dataset load(const std::vector<std::string> &xPaths, const std::string &yPath,
             const std::vector<Spec> &inputs, const Spec &labels,
             int64_t classes);

/// The same checks and conversions for tensors already in memory (data
/// given in the model file); the names stand for files in messages.
Dataset fromTensors(std::vector<Samples> xs, Owned y, const std::string &yName,
                    const std::vector<Spec> &inputs, const Spec &labels,
                    int64_t classes);

/// Reads one array file as samples of `spec` (inputs of `hebb run`).
Owned loadSamples(const std::string &path, const Spec &spec, int64_t &count);

/// Moves the last `fraction` of the samples into the result (Keras'
/// validation_split, taken before shuffling).
Dataset splitOff(Dataset &d, double fraction);

/// Copies samples order[(first + i) % size] for i < count into xs (one
/// buffer per input) and y.
void gather(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t count, void *const *xs, void *y);

/// Correct predictions among `rows` output rows of `classes` columns for
/// `loss` (a classification loss), or -1 when the loss does not classify.
/// Labels are i32 indices, f32 distributions, or f32 0/1 with one column.
int64_t countCorrect(const std::string &loss, hebb_dtype labelsType,
                     int64_t classes, const float *outputs, const void *labels,
                     int64_t rows);

} // namespace hebb::data

#endif // HEBB_RUNTIME_DATA_DATASET_H
