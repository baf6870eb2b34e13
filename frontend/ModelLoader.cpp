//===- ModelLoader.cpp - model file to hebb module ------------------------===//
//
// Top-level keys, the model name and batch size, then the "layers" or the
// "graph" form. Every failure becomes one llvm::Error line.
//
//===----------------------------------------------------------------------===//

#include "frontend/Forms.h"

#include "mlir/IR/Verifier.h"

namespace hebb::frontend {

bool isModelName(const std::string &s) {
  if (s.empty() || s.size() > 64 || std::isdigit((unsigned char)s[0]) ||
      s.rfind("hebb", 0) == 0)
    return false;
  for (char c : s)
    if (!std::isalnum((unsigned char)c) && c != '_')
      return false;
  return true;
}

void checkParamName(const std::string &name, const JNode &where) {
  if (name.rfind("optimizer.", 0) == 0)
    where.fail("parameter '" + name +
               "': names starting with \"optimizer.\" "
               "are a checkpoint's optimizer state");
}

namespace {

std::string stem(const std::string &path) {
  size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = base.find('.');
  std::string s = base.substr(0, dot);
  for (char &c : s)
    if (!std::isalnum((unsigned char)c))
      c = '_';
  return isModelName(s) ? s : "model";
}

void load(const std::string &path, mlir::MLIRContext &ctx,
          const LoadOptions &options, Model &model) {
  nlohmann::json doc = parseJsonFile(path);
  JNode root(doc, path, "");
  root.expectObject({"name", "description", "batch_size", "input", "inputs",
                     "layers", "graph", "training"});
  model.path = path;
  model.name = stem(path);
  if (root.has("name")) {
    JNode n = root.at("name");
    model.name = n.str();
    if (!isModelName(model.name))
      n.expected("a C identifier of at most 64 characters, not starting "
                 "with \"hebb\" (libhebbrt's prefix)");
  }
  if (root.has("description"))
    (void)root.at("description").str();
  if (root.has("batch_size"))
    model.batch = root.at("batch_size").integer(1, kMaxElements);
  if (options.batch > 0)
    model.batch = options.batch;
  bool layers = root.has("layers"), graph = root.has("graph");
  if (layers == graph)
    root.fail(layers ? "give either \"layers\" or \"graph\", not both"
                     : "missing \"layers\" or \"graph\"");
  for (const char *key : {"input", "inputs"})
    if (graph && root.has(key))
      root.at(key).fail("\"" + std::string(key) +
                        "\" belongs to the \"layers\" form; the graph form "
                        "lists \"inputs\" inside \"graph\"");
  GraphBuilder g(ctx, model);
  if (layers)
    buildLayers(root, g, model);
  else
    buildGraph(root, g, model);
  if (root.has("training"))
    buildTraining(root, model, ctx);
  if (mlir::failed(mlir::verify(*model.module)))
    throw FrontendError(path +
                        ": internal error: the built IR does not verify");
}
} // namespace

llvm::Expected<Model> loadModel(const std::string &path, mlir::MLIRContext &ctx,
                                const LoadOptions &options) {
  Model model;
  try {
    load(path, ctx, options, model);
  } catch (const FrontendError &e) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), e.what());
  } catch (const std::exception &e) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": " + e.what());
  }
  return model;
}

} // namespace hebb::frontend
