//===- Layers.h - internal: builders of the layers form ---------*- C++ -*-===//
//
/// \file
/// What a layer builder gets and the helpers they share. Dense and
/// elementwise layers are in LayersForm.cpp, image layers in ImageLayers.cpp,
/// sequence layers in SequenceLayers.cpp, attention in AttentionLayers.cpp;
/// the table of layer names is frontend/Tables.def (HEBB_LAYER).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_FRONTEND_LAYERS_H
#define HEBB_FRONTEND_LAYERS_H

#include "frontend/Forms.h"

namespace hebb::frontend {

struct LayerContext {
  GraphBuilder &g;
  Model &model;
  const JNode &node;
  std::string name;
  mlir::Value x;
};

inline mlir::RankedTensorType typeOf(mlir::Value v) {
  return v.getType().cast<mlir::RankedTensorType>();
}

/// The ops of one layer, named after it in messages.
struct Emit {
  LayerContext &c;
  mlir::Value op(const char *name, mlir::ValueRange in,
                 mlir::NamedAttrList attrs = {},
                 std::optional<mlir::Type> type = std::nullopt) {
    return c.g.create(name, in, attrs, type, c.node, c.name);
  }
  mlir::OpBuilder &b() { return c.g.builder(); }
  mlir::Type f32(llvm::ArrayRef<int64_t> shape) {
    return mlir::RankedTensorType::get(shape, b().getF32Type());
  }
  mlir::Value reshape(mlir::Value v, llvm::ArrayRef<int64_t> shape) {
    return op("reshape", v, {}, f32(shape));
  }
  mlir::Value slice(mlir::Value v, llvm::ArrayRef<int64_t> start,
                    llvm::ArrayRef<int64_t> limit) {
    mlir::NamedAttrList a;
    a.set("start", b().getDenseI64ArrayAttr(start));
    a.set("limit", b().getDenseI64ArrayAttr(limit));
    a.set("stride", b().getDenseI64ArrayAttr(
                        llvm::SmallVector<int64_t>(start.size(), int64_t(1))));
    return op("slice", v, a);
  }
  /// Columns [lo, hi) of a [rows, n] matrix.
  mlir::Value cols(mlir::Value v, int64_t lo, int64_t hi) {
    return slice(v, {0, lo}, {typeOf(v).getDimSize(0), hi});
  }
  /// op(x) · op(y), each transposed in its last two dimensions when asked.
  mlir::Value matmul(mlir::Value x, mlir::Value y, bool tx, bool ty) {
    mlir::NamedAttrList a;
    if (tx)
      a.set("transpose_lhs", b().getBoolAttr(true));
    if (ty)
      a.set("transpose_rhs", b().getBoolAttr(true));
    return op("matmul", mlir::ValueRange{x, y}, a);
  }
  /// x · wᵀ for x [m, k] and w [n, k].
  mlir::Value linear(mlir::Value x, mlir::Value w) {
    return matmul(x, w, false, true);
  }
  /// `v` placed along `dims` of `shape`.
  mlir::Value broadcast(mlir::Value v, llvm::ArrayRef<int64_t> dims,
                        llvm::ArrayRef<int64_t> shape) {
    mlir::NamedAttrList a;
    a.set("broadcast_dimensions", b().getDenseI64ArrayAttr(dims));
    return op("broadcast_in_dim", v, a, f32(shape));
  }
  /// b [n] repeated down `rows` rows.
  mlir::Value rows(mlir::Value v, int64_t rows) {
    return broadcast(v, {1}, {rows, typeOf(v).getDimSize(0)});
  }
  mlir::Value transpose(mlir::Value v, llvm::ArrayRef<int64_t> perm) {
    mlir::NamedAttrList a;
    a.set("permutation", b().getDenseI64ArrayAttr(perm));
    return op("transpose", v, a);
  }
  mlir::Value constant(llvm::ArrayRef<int64_t> shape,
                       llvm::ArrayRef<float> values) {
    mlir::NamedAttrList a;
    a.set("value", mlir::DenseElementsAttr::get(
                       f32(shape).cast<mlir::RankedTensorType>(), values));
    return op("constant", {}, a);
  }
  mlir::Value splat(llvm::ArrayRef<int64_t> shape, float value) {
    mlir::NamedAttrList a;
    a.set("value", mlir::DenseElementsAttr::get(
                       f32(shape).cast<mlir::RankedTensorType>(), value));
    return op("constant", {}, a);
  }
  mlir::Value concat(mlir::ValueRange parts, int64_t axis) {
    mlir::NamedAttrList a;
    a.set("axis", b().getI64IntegerAttr(axis));
    return op("concat", parts, a);
  }
  mlir::Value softmax(mlir::Value v, int64_t axis) {
    mlir::NamedAttrList a;
    a.set("axis", b().getI64IntegerAttr(axis));
    return op("softmax", v, a);
  }
  /// Identity in @forward; training turns it into a random mask.
  mlir::Value dropout(mlir::Value v, double rate) {
    if (rate == 0)
      return v;
    mlir::NamedAttrList a;
    a.set("rate", b().getF64FloatAttr(rate));
    return op("dropout", v, a);
  }
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return op("add", mlir::ValueRange{x, y});
  }
  mlir::Value mul(mlir::Value x, mlir::Value y) {
    return op("mul", mlir::ValueRange{x, y});
  }
  mlir::Value sub(mlir::Value x, mlir::Value y) {
    return op("sub", mlir::ValueRange{x, y});
  }
  mlir::Value scale(mlir::Value x, float s) {
    return mul(x, splat(typeOf(x).getShape(), s));
  }
  mlir::Value sigmoid(mlir::Value x) { return op("sigmoid", x); }
  mlir::Value tanh(mlir::Value x) { return op("tanh", x); }
};

/// Adds parameter `<layer name>.<suffix>` of `shape`, initialised from
/// `initKey` of the layer when given, else `defaultInit` (fan-in and
/// fan-out for the scaled initialisers); `buffer` for running statistics.
mlir::Value addParam(LayerContext &c, const char *suffix,
                     std::vector<int64_t> shape, const char *initKey,
                     hebb_init_kind defaultInit, int64_t fanIn, int64_t fanOut,
                     bool buffer = false);

/// PyTorch's Linear over the last axis of `x` [..., in]: parameters
/// `<prefix>weight` [out, in] and `<prefix>bias` [out], both U(±1/√in).
mlir::Value linearLayer(LayerContext &c, mlir::Value x,
                        const std::string &prefix, int64_t out);

/// PyTorch's LayerNorm over the last axis of `x`: parameters
/// `<prefix>weight` (ones) and `<prefix>bias` (zeros).
mlir::Value layerNorm(LayerContext &c, mlir::Value x, const std::string &prefix,
                      double eps);

/// The model input that the layer's `key` names (another input than the
/// one the layers start from: a mask).
mlir::Value namedInput(LayerContext &c, const char *key);

/// The input the layer's "mask" key names, f32 [batch, steps]: 1 at real
/// steps, 0 at padding (after the real steps). Null without the key.
mlir::Value sequenceMask(LayerContext &c, int64_t batch, int64_t steps);

/// The type of c.x, which must be a sequence [batch, steps, features] of
/// f32 (else the layer fails).
mlir::RankedTensorType sequenceInput(LayerContext &c);

/// The layer's `key`: an epsilon in (0, 1), 1e-5 when absent.
double readEpsilon(const JNode &layer, const char *key);
/// The layer's `key`: a dropout rate in [0, 1), `otherwise` when absent.
double readRate(const JNode &layer, const char *key, double otherwise = 0);

/// The layer's "activation" applied to c.x (when the key is present).
mlir::Value applyActivation(LayerContext &c, const JNode &actNode);

/// c.x plus the layer's bias parameter [channels] broadcast along axis 1.
mlir::Value addBias(LayerContext &c, mlir::Value y, int64_t fanIn,
                    int64_t fanOut);

#define HEBB_LAYER(name, fn) mlir::Value fn(LayerContext &c);
#include "frontend/Tables.def"

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_LAYERS_H
