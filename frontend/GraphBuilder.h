//===- GraphBuilder.h - hebb IR from named values ---------------*- C++ -*-===//
//
/// \file
/// Builds @forward one op at a time for both model forms. Ops are created
/// generically from their mnemonic; result types come from the op's own
/// shape inference, so a shape error in a model file carries the same
/// message the IR verifier gives, prefixed with the file, JSON path and node.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_FRONTEND_GRAPHBUILDER_H
#define HEBB_FRONTEND_GRAPHBUILDER_H

#include "frontend/Json.h"
#include "frontend/Model.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OperationSupport.h"

#include <map>
#include <optional>

namespace hebb::frontend {

class GraphBuilder {
public:
  GraphBuilder(mlir::MLIRContext &ctx, Model &model);

  /// Adds a function argument (an input or a parameter) named `name`.
  mlir::Value addArgument(const std::string &name, mlir::Type type,
                          const JNode &where);
  /// The value named `name`; unknown names are reported with a suggestion.
  mlir::Value lookup(const std::string &name, const JNode &where) const;
  /// Names `value`; names are unique across inputs, parameters and nodes.
  void define(const std::string &name, mlir::Value value, const JNode &where);

  /// Creates hebb.`op`. `resultType` is needed only by ops without shape
  /// inference (reshape, broadcast_in_dim). `node` names it in messages.
  mlir::Value create(const std::string &op, mlir::ValueRange operands,
                     mlir::NamedAttrList attrs,
                     std::optional<mlir::Type> resultType, const JNode &where,
                     const std::string &node);

  /// The registered hebb op `op`, or an error naming the nearest one.
  mlir::RegisteredOperationName opName(const std::string &op,
                                       const JNode &where) const;

  /// Finishes @forward returning `outputs` and moves the module into model.
  void finish(const std::vector<std::pair<std::string, JNode>> &outputs);

  mlir::OpBuilder &builder() { return b; }
  mlir::MLIRContext &context() { return ctx; }

private:
  mlir::MLIRContext &ctx;
  Model &model;
  mlir::OpBuilder b;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<mlir::Block> body;
  std::map<std::string, mlir::Value> values;
};

/// `name: shape` in MLIR syntax, for messages.
std::string typeString(mlir::Type type);

/// Names the arguments of `fn` from `first` on as the model's parameters:
/// "hebb.param" (or "hebb.buffer") with the parameter's name. Later stages
/// read it (inference entries keep their weights packed).
void markParamArgs(mlir::Operation *fn, unsigned first, const Model &model);

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_GRAPHBUILDER_H
