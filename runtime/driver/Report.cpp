//===- Report.cpp - progress, metrics CSV and loss curves -----------------===//

#include "Report.h"

#include "Status.h"

#include <cerrno>
#include <stdexcept>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace hebb::driver {

Progress::Progress(bool enabled) : enabled(enabled && isatty(STDERR_FILENO)) {}

void Progress::start(int64_t e, int64_t es, int64_t s) {
  epoch = e, epochs = es, steps = s;
  begin = lastDraw = std::chrono::steady_clock::now();
}

void Progress::update(int64_t step, double runningLoss) {
  if (!enabled)
    return;
  auto now = std::chrono::steady_clock::now();
  if (step < steps && now - lastDraw < std::chrono::milliseconds(100))
    return;
  lastDraw = now;
  double elapsed = std::chrono::duration<double>(now - begin).count();
  double rate = elapsed > 0 ? step / elapsed : 0;
  double eta = rate > 0 ? (steps - step) / rate : 0;
  const int width = 30;
  int filled = steps ? (int)(width * step / steps) : width;
  std::fprintf(stderr,
               "\r\033[Kepoch %lld/%lld [%.*s%*s] %lld/%lld  %.0f steps/s  ETA "
               "%.0fs  loss %.4f",
               (long long)epoch, (long long)epochs, filled,
               "==============================", width - filled, "",
               (long long)step, (long long)steps, rate, eta, runningLoss);
  std::fflush(stderr);
}

void Progress::finish() {
  if (enabled)
    std::fprintf(stderr, "\r\033[K");
}

void writeTextAtomically(const std::string &path, const std::string &text) {
  if (rt::writeFileAtomically(path, text) != HEBB_OK)
    throw std::runtime_error(hebb_last_error());
}

std::string num(double v) {
  if (std::isnan(v))
    return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void writeMetricsCsv(const std::string &path,
                     const std::vector<EpochMetrics> &rows) {
  std::string s = "epoch,train_loss,val_loss,val_accuracy,lr,seconds\n";
  for (const EpochMetrics &m : rows)
    s += std::to_string(m.epoch) + "," + num(m.trainLoss) + "," +
         num(m.valLoss) + "," + num(m.valAccuracy) + "," + num(m.lr) + "," +
         num(m.seconds) + "\n";
  writeTextAtomically(path, s);
}

} // namespace hebb::driver

void hebb::driver::printTensor(const std::string &name, const hebb_tensor &t) {
  std::string shape;
  for (int32_t i = 0; i < t.rank; ++i)
    shape += (i ? ", " : "") + std::to_string(t.shape[i]);
  std::printf("%s: %s [%s]\n", name.c_str(), hebb_dtype_name(t.dtype),
              shape.c_str());
  int64_t n = hebb_tensor_numel(&t);
  int64_t row = t.rank ? t.shape[t.rank - 1] : 1;
  const int64_t limit = 2000;
  for (int64_t i = 0; i < n && i < limit; ++i) {
    if (t.dtype == HEBB_F32)
      std::printf("%s%.6g", i % row ? " " : "  ", ((const float *)t.data)[i]);
    else if (t.dtype == HEBB_I32)
      std::printf("%s%d", i % row ? " " : "  ", ((const int32_t *)t.data)[i]);
    else
      std::printf("%s%d", i % row ? " " : "  ", ((const uint8_t *)t.data)[i]);
    if ((i + 1) % row == 0)
      std::printf("\n");
  }
  if (n > limit)
    std::printf("\n  ... (%lld more)\n", (long long)(n - limit));
}
