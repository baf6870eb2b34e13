//===- Forms.h - internal: the two model forms ------------------*- C++ -*-===//
//
/// \file
/// Shared by LayersForm.cpp, GraphForm.cpp and ModelLoader.cpp: reading
/// shapes, element types, initialisers and literal values.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_FRONTEND_FORMS_H
#define HEBB_FRONTEND_FORMS_H

#include "frontend/GraphBuilder.h"

namespace hebb::frontend {

/// A shape: positive integers, or "batch" (replaced by `batch`) when
/// `allowBatch`. The element count must stay within kMaxElements.
std::vector<int64_t> readShape(const JNode &node, int64_t batch,
                               bool allowBatch);
/// Checks the element count of `shape` (reported at `where`).
void checkElementCount(const std::vector<int64_t> &shape, const JNode &where);
/// "f32" or "i32" (default f32 when `node` is absent).
hebb_dtype readDtype(const JNode &parent);
mlir::Type elementType(mlir::MLIRContext &ctx, hebb_dtype dtype);
mlir::RankedTensorType tensorType(mlir::MLIRContext &ctx,
                                  const std::vector<int64_t> &shape,
                                  hebb_dtype dtype);

/// Fails for a parameter name a checkpoint reserves ("optimizer.*").
void checkParamName(const std::string &name, const JNode &where);

/// An initialiser: "name" or {"name": args} or {"values": nested list}.
void readInit(const JNode &node, ParamSpec &param);

/// A nested list of numbers with exactly `shape`, flattened row-major.
std::vector<double> readValues(const JNode &node,
                               const std::vector<int64_t> &shape);

/// Builders of the two forms.
void buildLayers(const JNode &root, GraphBuilder &g, Model &model);
void buildGraph(const JNode &root, GraphBuilder &g, Model &model);
/// Adds @loss from the "training" section (after @forward exists).
void buildTraining(const JNode &root, Model &model, mlir::MLIRContext &ctx);

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_FORMS_H
