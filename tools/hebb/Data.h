//===- Data.h - datasets for hebb train and hebb eval -----------*- C++ -*-===//
//
/// \file
/// Inputs and labels in memory, converted to the model's types: read from
/// .npy, IDX (raw or gzip'd) or CSV files, or a named dataset.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_DATA_H
#define HEBB_TOOLS_HEBB_DATA_H

#include "tools/hebb/Session.h"

#include <string>
#include <vector>

namespace hebb::tool {

struct Dataset {
  Tensor x, y;
  int64_t count = 0;
  size_t xRow = 0, yRow = 0; // bytes per sample
  std::string name;          // for messages: the inputs file
};

struct DataFiles {
  std::string x, y;
};

/// The files of a named dataset ("fashion-mnist"); `test` picks the test
/// split. Fails with a hint when the dataset is not installed.
DataFiles namedDataset(const std::string &name, bool test);

/// Reads inputs and labels and checks them against the model: per-sample
/// shape (any shape with the same element count is reshaped), equal counts,
/// class indices in range. Unsigned-byte inputs (IDX images) feeding an f32
/// input are scaled to [0, 1].
Dataset loadDataset(const DataFiles &files, const frontend::Model &model);

/// Moves the last `fraction` of the samples of `d` into the result (Keras'
/// validation_split: taken before any shuffling).
Dataset splitOff(Dataset &d, double fraction);

/// Copies samples order[first .. first+count) (wrapping) into x and y.
void gather(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t count, Tensor &x, Tensor &y);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_DATA_H
