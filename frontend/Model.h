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
  /// A buffer (batch norm's running statistics): state that training
  /// updates by a rule, not by the optimiser.
  bool buffer = false;
  /// Explicit values (row-major) when the model file gives them.
  std::vector<double> values;
  /// A row (of the leading axis) that starts as zeros whatever `init`
  /// gives: an embedding's padding_idx. −1 for none.
  int64_t zeroRow = -1;
};

/// How a learning rate changes with the epoch (PyTorch's schedulers).
struct Schedule {
  enum Kind { Constant, Step, Exponential, Cosine } kind = Constant;
  int64_t stepSize = 1; // step: epochs between decays
  double gamma = 0.1;   // step, exponential: decay factor
  int64_t period = 1;   // cosine: T_max in epochs
  double minLr = 0.0;   // cosine: eta_min
  /// The learning rate of epoch `epoch` (0-based) for base rate `lr`.
  double at(double lr, int64_t epoch) const;
};

/// The "training" section: loss, labels, optimiser and loop defaults.
struct TrainingSpec {
  bool present = false;
  std::string loss;          // a name from Tables.def (HEBB_LOSS)
  bool meanReduction = true; // the loss averages over the batch (else sums)
  bool probabilityLabels = false; // f32 labels must lie in [0, 1]
  TensorSpec labels;              // with the batch dimension
  std::string optimizer;          // a name from Tables.def (HEBB_OPTIMIZER)
  double lr = 0.01;
  int64_t epochs = 1;
  Schedule schedule;
  /// @train_step takes a tensor<2xi32> seed after the labels: the model has
  /// dropout (hebb-expand-dropout).
  bool seeded = false;
  /// Where the data comes from by default: "fashion-mnist", files (dataX,
  /// dataY: absolute paths), values in the model (inlineX, inlineY), or
  /// nothing (given on the command line).
  std::string dataset, dataX, dataY;
  struct Values {
    std::vector<int64_t> shape; // samples first
    std::vector<double> values;
  } inlineX, inlineY;
  /// Fraction of the training samples (the last ones) held out to validate.
  double validationSplit = 0;
  /// Early stopping: epochs without a validation-loss improvement larger
  /// than minDelta before training stops (0: never).
  int64_t patience = 0;
  double minDelta = 0;
};

/// A layer (layers form) or node (graph form) as `hebb summary` lists it:
/// its parameters are those named "<name>.*".
struct LayerInfo {
  std::string name, type;
  std::vector<int64_t> shape; // its output, batch first
};

struct Model {
  std::string name;
  std::string path;
  int64_t batch = 1;
  std::vector<TensorSpec> inputs;
  std::vector<ParamSpec> params;
  std::vector<TensorSpec> outputs;
  TrainingSpec training;
  std::vector<LayerInfo> layers;
  /// @forward(inputs..., params...) -> outputs; with a training section
  /// also @eval(inputs..., labels, params...) -> (loss, outputs...) and
  /// @loss(inputs..., labels, params...) -> tensor<f32>, the loss as
  /// inference computes it, carrying the optimiser settings in its
  /// `hebb.optimizer` attribute. The training pipeline
  /// (passes/Passes.h: buildTrainingPipeline) turns it into @train_step.
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

struct LoadOptions {
  /// Overrides the model's batch_size when set (> 0).
  int64_t batch = 0;
};

/// A model name: a C identifier of at most 64 characters that does not
/// start with "hebb" (the prefix of libhebbrt's symbols): it prefixes the
/// symbols and header of compiled models.
bool isModelName(const std::string &name);

/// The largest number of elements one tensor may have.
constexpr int64_t kMaxElements = (int64_t(1) << 31) - 1;

/// Reads and validates a model file and builds its hebb module in `ctx`
/// (which must have the hebb and func dialects loaded). Errors are one line:
/// "file: /json/path: what was expected, what was found".
llvm::Expected<Model> loadModel(const std::string &path, mlir::MLIRContext &ctx,
                                const LoadOptions &options = {});

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_MODEL_H
