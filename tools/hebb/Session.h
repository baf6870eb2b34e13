//===- Session.h - what every hebb subcommand shares ------------*- C++ -*-===//
//
/// \file
/// An MLIR context with the compiler's dialects, model loading, parameter
/// materialisation (file values, initialisers, safetensors), input files and
/// owned tensors.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_SESSION_H
#define HEBB_TOOLS_HEBB_SESSION_H

#include "frontend/Model.h"
#include "tools/hebb/Args.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"

#include <memory>

namespace hebb::tool {

/// A hebb_tensor that frees itself.
class Tensor {
public:
  Tensor() = default;
  explicit Tensor(hebb_tensor t) : t(t) {}
  Tensor(Tensor &&o) noexcept : t(o.t) { o.t.data = nullptr; }
  Tensor &operator=(Tensor &&o) noexcept {
    std::swap(t, o.t);
    return *this;
  }
  ~Tensor() { hebb_tensor_free(&t); }
  hebb_tensor &raw() { return t; }
  const hebb_tensor &raw() const { return t; }
  std::vector<int64_t> shape() const {
    return std::vector<int64_t>(t.shape, t.shape + t.rank);
  }

private:
  hebb_tensor t{};
};

/// Throws UsageError with the runtime's last error unless `s` is HEBB_OK.
void check(hebb_status s);
/// "[2, 3]"
std::string shapeString(const std::vector<int64_t> &shape);

/// Replaces @loss in `model`'s module by @train_step (forward, loss,
/// backward and update in one function) with the training pipeline
/// (buildTrainingPipeline): what `hebb train`, every `hebb compile` stage
/// from train on, and ahead-of-time artifacts compile. @forward and @eval
/// stay.
void buildTrainingProgram(frontend::Model &model);

/// Allocates a zeroed tensor of `spec`'s type and shape.
Tensor allocate(const frontend::TensorSpec &spec);

class Session {
public:
  Session();
  mlir::MLIRContext &context() { return *ctx; }

  /// Loads `path` (batch 0 keeps the model's own batch size).
  frontend::Model load(const std::string &path, int64_t batch = 0);

  /// Reads `--input name=file.npy` for every model input, converting the
  /// element type where lossless. Reloads `model` with the batch size the
  /// files imply when it differs from the model's.
  std::vector<Tensor> inputs(frontend::Model &model,
                             const std::vector<std::string> &flags,
                             int64_t forcedBatch);

private:
  std::unique_ptr<mlir::MLIRContext> ctx;
};

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_SESSION_H
