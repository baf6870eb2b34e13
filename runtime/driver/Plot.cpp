//===- Plot.cpp - training curves as SVG ----------------------------------===//
//
// What Keras users plot after model.fit: loss per epoch (training and
// validation) and, for classifiers with a validation split, validation
// accuracy. Axes get "nice" ticks (1, 2 or 5 times a power of ten) with a
// light grid, every epoch a marker (so one epoch still shows), and the
// best epoch a dashed line. Panels that have no data are left out.
//
//===----------------------------------------------------------------------===//

#include "driver/Report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace hebb::driver {

namespace {

struct Series {
  std::string name;
  std::vector<double> values; // one per epoch, NaN where absent
  const char *color;
};

struct Axis {
  double lo, hi, step;
  double at(double v, double from, double length) const {
    return from + length * (v - lo) / (hi - lo);
  }
};

/// A range covering [lo, hi] in steps of 1, 2 or 5 times a power of ten,
/// about `ticks` of them.
Axis niceAxis(double lo, double hi, int ticks, bool integers) {
  if (!(hi > lo)) {
    double pad = std::max(std::abs(lo) * 0.1, integers ? 1.0 : 1e-3);
    lo -= pad;
    hi += pad;
  }
  double raw = (hi - lo) / ticks;
  double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  if (integers)
    step = std::max(1.0, std::round(step));
  return {std::floor(lo / step) * step, std::ceil(hi / step) * step, step};
}

/// A tick label with as many decimals as the step needs.
std::string tickLabel(double v, double step) {
  int decimals = std::max(0, (int)-std::floor(std::log10(step) + 1e-9));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 8),
                std::abs(v) < step * 1e-9 ? 0.0 : v);
  return buf;
}

struct Frame {
  double x0, y0, w, h;
};

void axes(std::ostringstream &o, const Frame &f, const Axis &x, const Axis &y,
          const std::string &title) {
  o << "<text x='" << f.x0 << "' y='" << f.y0 - 10
    << "' font-size='14' font-weight='bold'>" << title << "</text>\n";
  for (double v = y.lo; v <= y.hi + y.step * 1e-6; v += y.step) {
    double py = y.at(v, f.y0 + f.h, -f.h);
    o << "<line x1='" << f.x0 << "' x2='" << f.x0 + f.w << "' y1='" << py
      << "' y2='" << py << "' stroke='#e5e5e5'/>\n<text x='" << f.x0 - 6
      << "' y='" << py + 4 << "' font-size='11' text-anchor='end'>"
      << tickLabel(v, y.step) << "</text>\n";
  }
  for (double v = x.lo; v <= x.hi + 1e-9; v += x.step) {
    double px = x.at(v, f.x0, f.w);
    o << "<line x1='" << px << "' x2='" << px << "' y1='" << f.y0 << "' y2='"
      << f.y0 + f.h << "' stroke='#f0f0f0'/>\n<text x='" << px << "' y='"
      << f.y0 + f.h + 16 << "' font-size='11' text-anchor='middle'>"
      << tickLabel(v, x.step) << "</text>\n";
  }
  o << "<rect x='" << f.x0 << "' y='" << f.y0 << "' width='" << f.w
    << "' height='" << f.h << "' fill='none' stroke='#666'/>\n<text x='"
    << f.x0 + f.w / 2 << "' y='" << f.y0 + f.h + 34
    << "' font-size='12' text-anchor='middle'>epoch</text>\n";
}

void curves(std::ostringstream &o, const Frame &f, const Axis &x, const Axis &y,
            const std::vector<Series> &series) {
  for (size_t k = 0; k < series.size(); ++k) {
    const Series &s = series[k];
    std::string pts, dots;
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (!std::isfinite(s.values[i]))
        continue;
      std::string px = num(x.at((double)(i + 1), f.x0, f.w));
      std::string py = num(y.at(s.values[i], f.y0 + f.h, -f.h));
      pts += px + "," + py + " ";
      dots += "<circle cx='" + px + "' cy='" + py + "' r='3' fill='" + s.color +
              "'/>\n";
    }
    o << "<polyline fill='none' stroke='" << s.color
      << "' stroke-width='2' points='" << pts << "'/>\n"
      << dots;
    // The legend, top right inside the frame.
    double ly = f.y0 + 16 + 16 * k;
    o << "<line x1='" << f.x0 + f.w - 110 << "' x2='" << f.x0 + f.w - 92
      << "' y1='" << ly - 4 << "' y2='" << ly - 4 << "' stroke='" << s.color
      << "' stroke-width='2'/>\n<text x='" << f.x0 + f.w - 88 << "' y='" << ly
      << "' font-size='11'>" << s.name << "</text>\n";
  }
}

/// The dashed line at the best epoch, labelled.
void best(std::ostringstream &o, const Frame &f, const Axis &x, int64_t epoch) {
  double px = x.at((double)epoch, f.x0, f.w);
  bool right = px > f.x0 + f.w / 2; // label on the side with room
  o << "<line x1='" << px << "' x2='" << px << "' y1='" << f.y0 << "' y2='"
    << f.y0 + f.h << "' stroke='#555' stroke-dasharray='5,4'/>\n<text x='"
    << (right ? px - 4 : px + 4) << "' y='" << f.y0 + f.h - 6
    << "' font-size='11' fill='#555' text-anchor='" << (right ? "end" : "start")
    << "'>best epoch " << epoch << "</text>\n";
}

bool hasData(const std::vector<Series> &series) {
  for (const Series &s : series)
    for (double v : s.values)
      if (std::isfinite(v))
        return true;
  return false;
}

/// `fraction`: values are in [0, 1] (accuracy), and so is the axis.
void panel(std::ostringstream &o, const Frame &f, const std::string &title,
           const std::vector<Series> &series, int64_t epochs, int64_t bestEpoch,
           bool fraction) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Series &s : series)
    for (double v : s.values)
      if (std::isfinite(v))
        lo = std::min(lo, v), hi = std::max(hi, v);
  if (fraction && hi - lo < 0.05)
    lo = std::max(0.0, hi - 0.1);
  Axis y = niceAxis(lo, hi, 5, false);
  if (fraction) {
    y.lo = std::max(y.lo, 0.0);
    y.hi = std::min(y.hi, 1.0);
  }
  Axis x = niceAxis(1, (double)std::max<int64_t>(epochs, 1), 8, true);
  axes(o, f, x, y, title);
  curves(o, f, x, y, series);
  if (bestEpoch > 0)
    best(o, f, x, bestEpoch);
}

} // namespace

void writeCurvesSvg(const std::string &path, const std::string &title,
                    const std::vector<EpochMetrics> &rows, int64_t bestEpoch) {
  std::vector<Series> loss = {{"training", {}, "#1f77b4"},
                              {"validation", {}, "#d62728"}};
  std::vector<Series> accuracy = {{"validation", {}, "#2ca02c"}};
  for (const EpochMetrics &m : rows) {
    loss[0].values.push_back(m.trainLoss);
    loss[1].values.push_back(m.valLoss);
    accuracy[0].values.push_back(m.valAccuracy);
  }
  if (!hasData({loss[1]}))
    loss.pop_back();
  bool withAccuracy = hasData(accuracy);
  const double width = withAccuracy ? 900 : 520, height = 360;
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width
    << "' height='" << height << "' font-family='sans-serif'>\n<rect width='"
    << width << "' height='" << height << "' fill='white'/>\n<text x='"
    << width / 2 << "' y='22' font-size='16' text-anchor='middle'>" << title
    << "</text>\n";
  int64_t n = (int64_t)rows.size();
  panel(o, {70, 60, 400, 240}, "loss", loss, n, bestEpoch, false);
  if (withAccuracy)
    panel(o, {560, 60, 300, 240}, "validation accuracy", accuracy, n, bestEpoch,
          true);
  o << "</svg>\n";
  writeTextAtomically(path, o.str());
}

} // namespace hebb::driver
