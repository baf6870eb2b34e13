//===- Interface.h - a compiled model's interface, both ways -----*- C++
//-*-===//
//
/// \file
/// The JSON in hebb_model_desc::interface, described once: the compiler
/// fills an Interface and writes it with writeInterface, libhebbrt reads it
/// back with parseInterface and answers the typed queries of hebb/model.h
/// (hebb_model_tensor_info, hebb_model_training) from it. Internal: not
/// installed, no MLIR or LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_INTERFACE_H
#define HEBB_RUNTIME_INTERFACE_H

#include "hebb/model.h"

#include <string>
#include <vector>

namespace hebb::rt {

struct TensorDecl {
  std::string name;
  hebb_dtype dtype = HEBB_F32;
  std::vector<int64_t> shape; // inputs, outputs, labels: batch first
  size_t bytes() const;
  int64_t numel() const;
};

struct ParamDecl : TensorDecl {
  /// A buffer (batch norm's running statistics): updated by a rule of the
  /// training step, not by the optimizer.
  bool buffer = false;
  hebb_init init{HEBB_INIT_ZEROS, 0, 0, 1, 1};
  std::vector<double> values; // explicit row-major values, or empty
  int64_t zeroRow = -1;       // a leading-axis row that starts as zeros
};

/// An optimizer state slot: named "<param>.<slot>", shaped like its
/// parameter.
struct StateDecl {
  std::string name;
  size_t param = 0; // index into Interface::params
};

/// Data written in the model file: f64 values, row-major, samples first.
struct InlineData {
  std::vector<int64_t> shape;
  std::vector<double> values;
  bool empty() const { return shape.empty(); }
};

struct TrainingDecl {
  TensorDecl labels;
  std::string loss, dataset;
  /// The model's own data when it is not a named dataset: files (absolute
  /// paths) or values written in the model.
  std::string dataX, dataY;
  InlineData inlineX, inlineY;
  bool mean = true, seeded = false;
  /// f32 labels are probabilities: in [0, 1] (bce, cross-entropies).
  bool probabilityLabels = false;
  double lr = 0.01, validationSplit = 0, minDelta = 0;
  int64_t epochs = 1, patience = 0;
  hebb_schedule_kind schedule = HEBB_SCHEDULE_CONSTANT;
  int64_t stepSize = 1, period = 1;
  double gamma = 0.1, minLr = 0;
  std::vector<StateDecl> state;
};

/// A parameter that the inference entries (forward, eval) read as B of a
/// matrix product, from a copy packed by hebb_sgemm_pack_b (B being k x n
/// with strides rs, cs over the parameter) at `offset` floats into the
/// context's packed area. Packed again whenever the parameters may have
/// changed.
struct PackDecl {
  size_t param = 0;
  int64_t n = 0, k = 0, rs = 0, cs = 0, offset = 0;
};

struct Interface {
  std::string name;
  int64_t batch = 1;
  std::vector<TensorDecl> inputs, outputs;
  std::vector<ParamDecl> params;
  /// With packs, forward and eval take the packed area (packedFloats
  /// floats) as their last argument, after the scratch.
  std::vector<PackDecl> packs;
  int64_t packedFloats = 0;
  bool trainable = false; // `training` holds something
  TrainingDecl training;
};

/// The JSON form (what hebb_model_interface returns).
std::string writeInterface(const Interface &iface);

/// Reads `json`; false with `error` set when it is malformed (missing or
/// mistyped fields, unknown dtypes, state of an unknown parameter).
bool parseInterface(const char *json, Interface &out, std::string &error);

/// hebb_dtype from its interface spelling ("f32", "i32", ...).
bool dtypeFromName(const std::string &name, hebb_dtype &out);
std::string dtypeToName(hebb_dtype dtype);

} // namespace hebb::rt

#endif // HEBB_RUNTIME_INTERFACE_H
