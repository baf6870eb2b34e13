//===- Interface.cpp - a compiled model's interface, both ways ------------===//
//
// One JSON object:
//   {"name", "batch", "inputs": [T], "outputs": [T],
//    "params": [T + {"buffer", "init": {kind, a, b, fan_in, fan_out,
//                                        [zero_row]},
//    "values"?}], "training"?: {"labels": T, "loss", "mean", "seeded", "lr",
//    "epochs",
//                  "schedule": {kind, step_size, gamma, period, min_lr},
//                  "dataset", "data_x", "data_y", "validation_split",
//                  "patience", "min_delta", "state": [{"name", "param"}],
//                  "inline_x"?, "inline_y"?: {"shape", "values"}},
//    "packs"?: [{"param", "n", "k", "rs", "cs", "offset"}],
//    "packed_floats"?}
// where T is {"name", "dtype", "shape"} and a state's or a pack's "param"
// names its parameter. The loop settings (epochs to min_delta) may be left out.
//
//===----------------------------------------------------------------------===//

#include "Interface.h"

#include "hebb/runtime.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace hebb::rt {

namespace {
using nlohmann::json;

/// The interface spells dtypes as hebb_dtype_name does, in lower case.
std::string lowerName(hebb_dtype dtype) {
  std::string s = hebb_dtype_name(dtype);
  for (char &c : s)
    c = (char)std::tolower((unsigned char)c);
  return s;
}

json tensorJson(const TensorDecl &t) {
  return {
      {"name", t.name}, {"dtype", dtypeToName(t.dtype)}, {"shape", t.shape}};
}

json trainingJson(const TrainingDecl &t, const std::vector<ParamDecl> &params) {
  json j = {{"labels", tensorJson(t.labels)},
            {"loss", t.loss},
            {"mean", t.mean},
            {"probability_labels", t.probabilityLabels},
            {"seeded", t.seeded},
            {"lr", t.lr},
            {"epochs", t.epochs},
            {"schedule",
             {{"kind", (int)t.schedule},
              {"step_size", t.stepSize},
              {"gamma", t.gamma},
              {"period", t.period},
              {"min_lr", t.minLr}}},
            {"dataset", t.dataset},
            {"data_x", t.dataX},
            {"data_y", t.dataY},
            {"validation_split", t.validationSplit},
            {"patience", t.patience},
            {"min_delta", t.minDelta},
            {"state", json::array()}};
  for (const StateDecl &s : t.state)
    j["state"].push_back({{"name", s.name}, {"param", params[s.param].name}});
  if (!t.inlineX.empty())
    j["inline_x"] = {{"shape", t.inlineX.shape}, {"values", t.inlineX.values}};
  if (!t.inlineY.empty())
    j["inline_y"] = {{"shape", t.inlineY.shape}, {"values", t.inlineY.values}};
  return j;
}

/// Throws std::runtime_error naming the field on anything malformed.
void readTensor(const json &j, TensorDecl &t) {
  t.name = j.at("name").get<std::string>();
  std::string dt = j.at("dtype").get<std::string>();
  if (!dtypeFromName(dt, t.dtype))
    throw std::runtime_error("tensor '" + t.name + "' has unknown dtype '" +
                             dt + "'");
  t.shape = j.at("shape").get<std::vector<int64_t>>();
  if (t.shape.size() > HEBB_MAX_RANK)
    throw std::runtime_error("tensor '" + t.name + "' has too many dims");
  int64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 0 || (d > 0 && n > (int64_t(1) << 40) / d))
      throw std::runtime_error("tensor '" + t.name + "' has a bad shape");
    n *= d;
  }
}

void readParam(const json &j, ParamDecl &p) {
  readTensor(j, p);
  p.buffer = j.at("buffer").get<bool>();
  const json &i = j.at("init");
  int kind = i.at("kind").get<int>();
  if (kind < HEBB_INIT_ZEROS || kind > HEBB_INIT_TORCH_DEFAULT)
    throw std::runtime_error("parameter '" + p.name +
                             "' has an unknown "
                             "initialiser");
  p.init.kind = (hebb_init_kind)kind;
  p.init.a = i.at("a").get<double>();
  p.init.b = i.at("b").get<double>();
  p.init.fan_in = i.at("fan_in").get<int64_t>();
  p.init.fan_out = i.at("fan_out").get<int64_t>();
  if (i.contains("zero_row")) {
    p.zeroRow = i.at("zero_row").get<int64_t>();
    if (p.zeroRow < 0 || p.shape.empty() || p.zeroRow >= p.shape[0])
      throw std::runtime_error("parameter '" + p.name +
                               "': its zero row is out of range");
  }
  if (j.contains("values")) {
    p.values = j.at("values").get<std::vector<double>>();
    if ((int64_t)p.values.size() != p.numel() || p.dtype != HEBB_F32)
      throw std::runtime_error("parameter '" + p.name +
                               "': values do not "
                               "match its shape");
  }
}

void readInline(const json &j, const char *key, InlineData &d) {
  if (!j.contains(key))
    return;
  d.shape = j.at(key).at("shape").get<std::vector<int64_t>>();
  d.values = j.at(key).at("values").get<std::vector<double>>();
  int64_t n = 1;
  for (int64_t s : d.shape)
    n = s < 0 || n > (int64_t(1) << 40) / std::max<int64_t>(s, 1) ? -1 : n * s;
  if (d.shape.empty() || d.shape.size() > HEBB_MAX_RANK ||
      n != (int64_t)d.values.size())
    throw std::runtime_error(std::string(key) + ": values do not match the "
                                                "shape");
}

void readTraining(const json &j, TrainingDecl &t,
                  const std::vector<ParamDecl> &params) {
  readTensor(j.at("labels"), t.labels);
  t.loss = j.at("loss").get<std::string>();
  t.mean = j.at("mean").get<bool>();
  t.seeded = j.at("seeded").get<bool>();
  t.lr = j.at("lr").get<double>();
  // Loop settings are optional: absent ones keep TrainingDecl's defaults.
  t.epochs = j.value("epochs", t.epochs);
  if (j.contains("schedule")) {
    const json &s = j.at("schedule");
    int kind = s.at("kind").get<int>();
    if (kind < HEBB_SCHEDULE_CONSTANT || kind > HEBB_SCHEDULE_COSINE)
      throw std::runtime_error("unknown learning-rate schedule");
    t.schedule = (hebb_schedule_kind)kind;
    t.stepSize = s.at("step_size").get<int64_t>();
    t.gamma = s.at("gamma").get<double>();
    t.period = s.at("period").get<int64_t>();
    t.minLr = s.at("min_lr").get<double>();
  }
  t.dataset = j.value("dataset", t.dataset);
  t.probabilityLabels = j.value("probability_labels", t.probabilityLabels);
  t.dataX = j.value("data_x", t.dataX);
  t.dataY = j.value("data_y", t.dataY);
  readInline(j, "inline_x", t.inlineX);
  readInline(j, "inline_y", t.inlineY);
  t.validationSplit = j.value("validation_split", t.validationSplit);
  t.patience = j.value("patience", t.patience);
  t.minDelta = j.value("min_delta", t.minDelta);
  for (const json &x : j.at("state")) {
    StateDecl &st = t.state.emplace_back();
    st.name = x.at("name").get<std::string>();
    std::string param = x.at("param").get<std::string>();
    size_t k = 0;
    while (k < params.size() && params[k].name != param)
      ++k;
    if (k == params.size() || params[k].buffer)
      throw std::runtime_error("state '" + st.name +
                               "' belongs to no trainable parameter");
    st.param = k;
  }
}
} // namespace

int64_t TensorDecl::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t TensorDecl::bytes() const {
  return (size_t)numel() * hebb_dtype_size(dtype);
}

bool dtypeFromName(const std::string &name, hebb_dtype &out) {
  for (int d = HEBB_F32; d <= HEBB_BOOL; ++d)
    if (name == lowerName((hebb_dtype)d)) {
      out = (hebb_dtype)d;
      return true;
    }
  return false;
}

std::string dtypeToName(hebb_dtype dtype) { return lowerName(dtype); }

/// A pack whose B lies inside its f32 parameter and whose copy lies inside
/// the packed area; anything else is an error.
void readPack(const json &j, const Interface &iface, PackDecl &p) {
  const std::string param = j.at("param").get<std::string>();
  while (p.param < iface.params.size() && iface.params[p.param].name != param)
    ++p.param;
  if (p.param == iface.params.size())
    throw std::runtime_error("pack of an unknown parameter '" + param + "'");
  p.n = j.at("n").get<int64_t>();
  p.k = j.at("k").get<int64_t>();
  p.rs = j.at("rs").get<int64_t>();
  p.cs = j.at("cs").get<int64_t>();
  p.offset = j.at("offset").get<int64_t>();
  const ParamDecl &d = iface.params[p.param];
  const int64_t limit = 1 << 30;
  if (d.dtype != HEBB_F32 || p.n <= 0 || p.k <= 0 || p.n > limit ||
      p.k > limit || p.rs <= 0 || p.cs <= 0 || p.rs > limit || p.cs > limit ||
      (p.k - 1) * p.rs + (p.n - 1) * p.cs >= d.numel() || p.offset < 0 ||
      p.offset + HEBB_SGEMM_PACKED_FLOATS(p.n, p.k) > iface.packedFloats)
    throw std::runtime_error("pack of '" + param + "' out of bounds");
}

std::string writeInterface(const Interface &iface) {
  json j = {{"name", iface.name},
            {"batch", iface.batch},
            {"inputs", json::array()},
            {"outputs", json::array()},
            {"params", json::array()}};
  for (const TensorDecl &t : iface.inputs)
    j["inputs"].push_back(tensorJson(t));
  for (const TensorDecl &t : iface.outputs)
    j["outputs"].push_back(tensorJson(t));
  for (const ParamDecl &p : iface.params) {
    json pj = tensorJson(p);
    pj["buffer"] = p.buffer;
    pj["init"] = {{"kind", (int)p.init.kind},
                  {"a", p.init.a},
                  {"b", p.init.b},
                  {"fan_in", p.init.fan_in},
                  {"fan_out", p.init.fan_out}};
    if (p.zeroRow >= 0)
      pj["init"]["zero_row"] = p.zeroRow;
    if (!p.values.empty())
      pj["values"] = p.values;
    j["params"].push_back(pj);
  }
  if (iface.trainable)
    j["training"] = trainingJson(iface.training, iface.params);
  for (const PackDecl &p : iface.packs)
    j["packs"].push_back({{"param", iface.params[p.param].name},
                          {"n", p.n},
                          {"k", p.k},
                          {"rs", p.rs},
                          {"cs", p.cs},
                          {"offset", p.offset}});
  if (iface.packedFloats)
    j["packed_floats"] = iface.packedFloats;
  return j.dump();
}

bool parseInterface(const char *text, Interface &out, std::string &error) {
  out = Interface();
  try {
    json j = json::parse(text ? text : "");
    out.name = j.at("name").get<std::string>();
    out.batch = j.at("batch").get<int64_t>();
    for (const json &x : j.at("inputs"))
      readTensor(x, out.inputs.emplace_back());
    for (const json &x : j.at("outputs"))
      readTensor(x, out.outputs.emplace_back());
    for (const json &x : j.at("params"))
      readParam(x, out.params.emplace_back());
    if (j.contains("training")) {
      out.trainable = true;
      readTraining(j.at("training"), out.training, out.params);
    }
    out.packedFloats = j.value("packed_floats", int64_t(0));
    if (j.contains("packs"))
      for (const json &x : j.at("packs"))
        readPack(x, out, out.packs.emplace_back());
  } catch (const std::exception &e) {
    error = std::string("model interface: ") + e.what();
    return false;
  }
  return true;
}

} // namespace hebb::rt
