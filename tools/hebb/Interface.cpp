//===- Interface.cpp - a model's interface for libhebbrt ------------------===//

#include "tools/hebb/Interface.h"
#include "tools/hebb/Args.h"

#include "runtime/Interface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace hebb::tool {

namespace {
rt::TensorDecl decl(const frontend::TensorSpec &s) {
  rt::TensorDecl d;
  d.name = s.name;
  d.dtype = s.dtype;
  d.shape = s.shape;
  return d;
}

rt::TrainingDecl training(const frontend::Model &model,
                          const rt::Interface &iface) {
  const frontend::TrainingSpec &t = model.training;
  rt::TrainingDecl d;
  d.labels = decl(t.labels);
  d.loss = t.loss;
  d.mean = t.meanReduction;
  d.probabilityLabels = t.probabilityLabels;
  d.seeded = t.seeded;
  d.lr = t.lr;
  d.epochs = t.epochs;
  d.schedule = (hebb_schedule_kind)t.schedule.kind;
  d.stepSize = t.schedule.stepSize;
  d.gamma = t.schedule.gamma;
  d.period = t.schedule.period;
  d.minLr = t.schedule.minLr;
  d.dataset = t.dataset;
  d.dataX = t.dataX;
  d.dataY = t.dataY;
  d.inlineX = {t.inlineX.shape, t.inlineX.values};
  d.inlineY = {t.inlineY.shape, t.inlineY.values};
  d.validationSplit = t.validationSplit;
  d.patience = t.patience;
  d.minDelta = t.minDelta;
  mlir::ModuleOp module = model.module.get();
  auto train = module.lookupSymbol<mlir::func::FuncOp>("train_step");
  if (!train)
    return d;
  auto names = train->getAttrOfType<mlir::ArrayAttr>("hebb.state");
  auto params = train->getAttrOfType<mlir::ArrayAttr>("hebb.state_params");
  if (!names || !params || names.size() != params.size())
    throw UsageError(model.path + ": @train_step lacks its state attributes");
  for (auto [name, param] : llvm::zip(names, params)) {
    rt::StateDecl &s = d.state.emplace_back();
    s.name = name.cast<mlir::StringAttr>().str();
    llvm::StringRef p = param.cast<mlir::StringAttr>().getValue();
    while (s.param < iface.params.size() && iface.params[s.param].name != p)
      ++s.param;
    if (s.param == iface.params.size())
      throw UsageError(model.path + ": state '" + s.name +
                       "' of an unknown parameter");
  }
  return d;
}
} // namespace

std::string interfaceJson(const frontend::Model &model) {
  rt::Interface iface;
  iface.name = model.name;
  iface.batch = model.batch;
  for (const auto &s : model.inputs)
    iface.inputs.push_back(decl(s));
  for (const auto &s : model.outputs)
    iface.outputs.push_back(decl(s));
  for (const frontend::ParamSpec &p : model.params) {
    rt::ParamDecl &d = iface.params.emplace_back();
    static_cast<rt::TensorDecl &>(d) = decl(p);
    d.buffer = p.buffer;
    d.init = p.init;
    d.values = p.values;
    d.zeroRow = p.zeroRow;
  }
  iface.trainable = model.training.present;
  if (iface.trainable)
    iface.training = training(model, iface);
  return rt::writeInterface(iface);
}

std::string withPackedWeights(const std::string &json,
                              const PackedWeights &packed) {
  if (!packed.packs)
    return json;
  rt::Interface iface;
  std::string error;
  if (!rt::parseInterface(json.c_str(), iface, error))
    throw UsageError(error);
  iface.packedFloats = packed.floats;
  for (auto p : packed.packs.getAsRange<mlir::DictionaryAttr>()) {
    rt::PackDecl &d = iface.packs.emplace_back();
    llvm::StringRef param = p.getAs<mlir::StringAttr>("param").getValue();
    while (d.param < iface.params.size() && iface.params[d.param].name != param)
      ++d.param;
    if (d.param == iface.params.size())
      throw UsageError("packed weights of an unknown parameter '" +
                       param.str() + "'");
    auto get = [&](const char *key) {
      return p.getAs<mlir::IntegerAttr>(key).getInt();
    };
    d.n = get("n"), d.k = get("k"), d.rs = get("rs"), d.cs = get("cs");
    d.offset = get("offset");
  }
  return rt::writeInterface(iface);
}

} // namespace hebb::tool
