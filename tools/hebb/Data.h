//===- Data.h - datasets for hebb train and hebb eval -----------*- C++ -*-===//
//
/// \file
/// The tool's view of runtime/data/Dataset.h: model specs from the
/// frontend, errors as UsageError.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_DATA_H
#define HEBB_TOOLS_HEBB_DATA_H

#include "tools/hebb/Session.h"

#include "data/Dataset.h"

#include <string>
#include <vector>

namespace hebb::tool {

using data::Dataset;

struct DataFiles {
  std::string x, y;
};

/// The files of a named dataset ("fashion-mnist"); `test` picks the test
/// split.
DataFiles namedDataset(const std::string &name, bool test);

/// Reads inputs and labels and checks them against the model (see
/// data::load).
Dataset loadDataset(const DataFiles &files, const frontend::Model &model);

/// Moves the last `fraction` of the samples of `d` into the result.
Dataset splitOff(Dataset &d, double fraction);

/// Copies samples order[first .. first+count) (wrapping) into x and y.
void gather(const Dataset &d, const std::vector<int64_t> &order, int64_t first,
            int64_t count, Tensor &x, Tensor &y);

/// Correct predictions among the first `rows` outputs, or -1 when the model
/// is not a classifier.
int64_t countCorrect(const frontend::Model &model, const Tensor &out,
                     const Tensor &labels, int64_t rows);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_DATA_H
