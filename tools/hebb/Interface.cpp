//===- Interface.cpp - a model's interface as the runtime reads it --------===//

#include "tools/hebb/Interface.h"

#include <nlohmann/json.hpp>

namespace hebb::tool {

namespace {
const char *dtypeName(hebb_dtype d) {
  return d == HEBB_F32 ? "f32" : d == HEBB_I32 ? "i32" : "f64";
}

nlohmann::json specJson(const frontend::TensorSpec &s) {
  return {{"name", s.name}, {"dtype", dtypeName(s.dtype)}, {"shape", s.shape}};
}

/// The interface the runtime reads (hebb/model.h): names, shapes,
/// initialisers, optimizer state slots.
} // namespace

std::string interfaceJson(const frontend::Model &model,
                          mlir::ArrayAttr stateNames) {
  nlohmann::json j;
  j["name"] = model.name;
  j["batch"] = model.batch;
  j["inputs"] = nlohmann::json::array();
  for (auto &s : model.inputs)
    j["inputs"].push_back(specJson(s));
  j["outputs"] = nlohmann::json::array();
  for (auto &s : model.outputs)
    j["outputs"].push_back(specJson(s));
  j["params"] = nlohmann::json::array();
  std::vector<size_t> trainable;
  for (size_t i = 0; i < model.params.size(); ++i) {
    const auto &p = model.params[i];
    nlohmann::json pj = specJson(p);
    pj["buffer"] = p.buffer;
    pj["init"] = {{"kind", (int)p.init.kind}, {"a", p.init.a}, {"b", p.init.b},
                  {"fan_in", p.init.fan_in}, {"fan_out", p.init.fan_out}};
    if (!p.values.empty())
      pj["values"] = p.values;
    j["params"].push_back(pj);
    if (!p.buffer)
      trainable.push_back(i);
  }
  if (model.training.present) {
    nlohmann::json t;
    t["labels"] = specJson(model.training.labels);
    t["seeded"] = model.training.seeded;
    t["lr"] = model.training.lr;
    t["loss"] = model.training.loss;
    const auto &sc = model.training.schedule;
    t["schedule"] = {{"kind", (int)sc.kind}, {"step_size", sc.stepSize},
                     {"gamma", sc.gamma}, {"period", sc.period},
                     {"min_lr", sc.minLr}};
    t["epochs"] = model.training.epochs;
    t["dataset"] = model.training.dataset;
    t["validation_split"] = model.training.validationSplit;
    t["patience"] = model.training.patience;
    t["min_delta"] = model.training.minDelta;
    t["mean"] = model.training.meanReduction;
    t["state"] = nlohmann::json::array();
    t["state_param"] = nlohmann::json::array();
    size_t count = stateNames ? stateNames.size() : 0;
    size_t slots = trainable.empty() ? 0 : count / trainable.size();
    for (size_t i = 0; i < count; ++i) {
      t["state"].push_back(stateNames[i].cast<mlir::StringAttr>().str());
      t["state_param"].push_back(trainable[i / slots]);
    }
    j["training"] = t;
  }
  return j.dump();
}


} // namespace hebb::tool
