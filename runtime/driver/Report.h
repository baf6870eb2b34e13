//===- Report.h - progress, metrics CSV and loss curves ---------*- C++ -*-===//

#ifndef HEBB_RUNTIME_DRIVER_REPORT_H
#define HEBB_RUNTIME_DRIVER_REPORT_H

#include "hebb/runtime.h"

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

namespace hebb::driver {

/// One row per epoch; NaN where a metric does not apply.
struct EpochMetrics {
  int64_t epoch = 0;
  double trainLoss = NAN, valLoss = NAN, valAccuracy = NAN, seconds = 0, lr = 0;
};

/// A one-line progress bar redrawn on a terminal (steps/s, ETA, running
/// loss); silent when standard error is not a terminal.
class Progress {
public:
  explicit Progress(bool enabled);
  void start(int64_t epoch, int64_t epochs, int64_t steps);
  void update(int64_t step, double runningLoss);
  void finish();

private:
  bool enabled;
  int64_t epoch = 0, epochs = 0, steps = 0;
  std::chrono::steady_clock::time_point begin, lastDraw;
};

/// Writes the metrics as CSV (atomically: temp file, then rename).
void writeMetricsCsv(const std::string &path,
                     const std::vector<EpochMetrics> &rows);

/// Writes an SVG of the training and validation loss per epoch and, for
/// classifiers with validation, the validation accuracy: ticks, grid,
/// markers; `bestEpoch` (> 0) is marked as the one early stopping kept or
/// the best validation loss (Plot.cpp).
void writeCurvesSvg(const std::string &path, const std::string &title,
                    const std::vector<EpochMetrics> &rows, int64_t bestEpoch);

/// "%.6g" of `v`, "" when it is not finite.
std::string num(double v);

/// Prints `t` as "name: dtype [shape]" and its rows (at most 2000 values).
void printTensor(const std::string &name, const hebb_tensor &t);

/// Writes `text` to `path` through a temporary file renamed into place;
/// throws std::runtime_error naming the file on failure.
void writeTextAtomically(const std::string &path, const std::string &text);

} // namespace hebb::driver

#endif // HEBB_RUNTIME_DRIVER_REPORT_H
