//===- Model.h - a loaded model ---------------------------------*- C++ -*-===//
//
/// \file
/// What the frontend produces from a model file: the hebb module with
/// `@forward(inputs..., parameters...) -> outputs`, and the specs the
/// runtime needs to feed it (names, shapes, element types, initialisers).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_FRONTEND_MODEL_H
#define HEBB_FRONTEND_MODEL_H

#include "hebb/runtime.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace hebb::frontend {

struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
  hebb_dtype dtype = HEBB_F32;
};

struct ParamSpec : TensorSpec {
  hebb_init init{HEBB_INIT_ZEROS, 0, 0, 1, 1};
  /// Explicit values (row-major) when the model file gives them.
  std::vector<double> values;
};

struct Model {
  std::string name;
  std::string path;
  int64_t batch = 1;
  std::vector<TensorSpec> inputs;
  std::vector<ParamSpec> params;
  std::vector<TensorSpec> outputs;
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

struct LoadOptions {
  /// Overrides the model's batch_size when set (> 0).
  int64_t batch = 0;
};

/// The largest number of elements one tensor may have.
constexpr int64_t kMaxElements = (int64_t(1) << 31) - 1;

/// Reads and validates a model file and builds its hebb module in `ctx`
/// (which must have the hebb and func dialects loaded). Errors are one line:
/// "file: /json/path: what was expected, what was found".
llvm::Expected<Model> loadModel(const std::string &path, mlir::MLIRContext &ctx,
                                const LoadOptions &options = {});

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_MODEL_H
