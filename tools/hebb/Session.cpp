//===- Session.cpp - what every hebb subcommand shares --------------------===//

#include "tools/hebb/Session.h"

#include "codegen/Compiler.h"
#include "ir/HebbDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <functional>
#include <map>

namespace hebb::tool {

void check(hebb_status s) {
  if (s != HEBB_OK)
    throw UsageError(hebb_last_error());
}

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

void buildTrainingProgram(frontend::Model &model) {
  mlir::ModuleOp module = *model.module;
  mlir::PassManager pm(module.getContext());
  buildTrainingPipeline(pm);
  std::string diagnostics;
  {
    llvm::raw_string_ostream os(diagnostics);
    mlir::ScopedDiagnosticHandler handler(
        module.getContext(), [&](mlir::Diagnostic &d) {
          os << (diagnostics.empty() ? "" : "; ") << d.str();
          return mlir::success();
        });
    if (mlir::failed(pm.run(module)))
      throw UsageError(model.path +
                       ": cannot build the training step: " + os.str());
  }
  for (const char *name : {"grad", "loss"})
    if (auto fn = module.lookupSymbol<mlir::func::FuncOp>(name))
      fn.erase();
}

Tensor allocate(const frontend::TensorSpec &spec) {
  hebb_tensor t;
  check(hebb_tensor_alloc(&t, spec.dtype, (int32_t)spec.shape.size(),
                          spec.shape.data()));
  return Tensor(t);
}

Session::Session() { ctx = createCompilerContext(); }

frontend::Model Session::load(const std::string &path, int64_t batch) {
  auto model = frontend::loadModel(path, *ctx, {batch});
  if (!model)
    throw UsageError(llvm::toString(model.takeError()));
  return std::move(*model);
}

namespace {
/// Copies `src` into `dst`, converting f64 to f32 if needed. As for
/// training data, the samples may come in another shape of the same size
/// (images [N, 28, 28] for an input [N, 1, 28, 28]).
void assign(Tensor &dst, const hebb_tensor &src, const std::string &what) {
  hebb_tensor &d = dst.raw();
  std::vector<int64_t> want(d.shape, d.shape + d.rank),
      got(src.shape, src.shape + src.rank);
  bool sameSamples = !want.empty() && !got.empty() && want[0] == got[0] &&
                     hebb_tensor_numel(&d) == hebb_tensor_numel(&src);
  if (want != got && !sameSamples)
    throw UsageError(what + " has shape " + shapeString(got) +
                     ", the model expects " + shapeString(want));
  hebb_tensor converted;
  if (hebb_tensor_convert(&src, d.dtype, &converted) != HEBB_OK)
    throw UsageError(what + ": " + hebb_last_error());
  std::memcpy(d.data, converted.data, hebb_tensor_nbytes(&d));
  hebb_tensor_free(&converted);
}
} // namespace

namespace {
/// A tensor from a JSON literal such as [[0, 1], [1, 0]] (f64 elements).
Tensor literalTensor(const std::string &text) {
  nlohmann::json v = nlohmann::json::parse(text, nullptr, false);
  if (v.is_discarded())
    throw UsageError("input literal " + text + " is not valid JSON");
  std::vector<int64_t> shape;
  for (const nlohmann::json *p = &v; p->is_array(); p = &(*p)[0]) {
    shape.push_back((int64_t)p->size());
    if (p->empty() || shape.size() > HEBB_MAX_RANK)
      throw UsageError("input literal " + text +
                       ": lists must be non-empty and at most 8 deep");
  }
  std::vector<double> values;
  std::function<void(const nlohmann::json &, size_t)> flatten =
      [&](const nlohmann::json &x, size_t dim) {
        if (dim == shape.size()) {
          if (!x.is_number())
            throw UsageError("input literal " + text + ": " + x.dump() +
                             " is not a number");
          values.push_back(x.get<double>());
          return;
        }
        if (!x.is_array() || (int64_t)x.size() != shape[dim])
          throw UsageError("input literal " + text + " is not rectangular");
        for (const auto &e : x)
          flatten(e, dim + 1);
      };
  flatten(v, 0);
  hebb_tensor t;
  check(hebb_tensor_alloc(&t, HEBB_F64, (int32_t)shape.size(), shape.data()));
  std::copy(values.begin(), values.end(), (double *)t.data);
  return Tensor(t);
}
} // namespace

std::vector<Tensor> Session::inputs(frontend::Model &model,
                                    const std::vector<std::string> &flags,
                                    int64_t forcedBatch) {
  std::map<std::string, std::string> files;
  for (const std::string &f : flags) {
    size_t eq = f.find('=');
    std::string name = eq == std::string::npos ? "" : f.substr(0, eq);
    std::string file = eq == std::string::npos ? f : f.substr(eq + 1);
    if (name.empty()) {
      if (model.inputs.size() != 1)
        throw UsageError("--input " + f +
                         ": the model has several inputs; "
                         "write --input NAME=FILE.npy");
      name = model.inputs[0].name;
    }
    bool known = false;
    for (auto &in : model.inputs)
      known |= in.name == name;
    if (!known)
      throw UsageError("--input " + f + ": the model has no input '" + name +
                       "'");
    files[name] = file;
  }
  std::vector<Tensor> raw;
  for (auto &in : model.inputs) {
    auto it = files.find(in.name);
    if (it == files.end())
      throw UsageError("missing --input " + in.name + "=FILE.npy");
    if (!it->second.empty() && it->second[0] == '[') {
      raw.push_back(literalTensor(it->second));
      continue;
    }
    hebb_tensor t;
    check(hebb_npy_read(it->second.c_str(), &t));
    raw.emplace_back(t);
  }
  // A different leading dimension means another batch size: reload.
  if (!forcedBatch && !raw.empty() && raw[0].raw().rank > 0 &&
      raw[0].shape() != model.inputs[0].shape &&
      raw[0].raw().shape[0] != model.batch)
    model = load(model.path, raw[0].raw().shape[0]);
  std::vector<Tensor> out;
  for (size_t i = 0; i < raw.size(); ++i) {
    Tensor t = allocate(model.inputs[i]);
    assign(t, raw[i].raw(), files[model.inputs[i].name]);
    out.push_back(std::move(t));
  }
  return out;
}

} // namespace hebb::tool
