//===- Losses.h - the training losses, one table ----------------*- C++ -*-===//
//
/// \file
/// Every loss the "training" section names, declared once in
/// frontend/Tables.def (HEBB_LOSS): its labels, whether it reads a
/// [batch, ..., classes] output, its default reduction, and the function that
/// builds it from hebb ops (so autodiff needs nothing special).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_FRONTEND_LOSSES_H
#define HEBB_FRONTEND_LOSSES_H

#include "mlir/IR/Builders.h"

#include <string>
#include <vector>

namespace hebb::frontend {

struct LossInfo {
  const char *name;
  /// Labels are class indices [batch] (i32) by default, else shaped like
  /// the output (f32).
  bool indexLabels;
  /// Reads its output as [batch, classes].
  bool classes;
  /// Always sums over the batch, whatever "reduction" says.
  bool alwaysSum;
  /// f32 labels are probabilities (or distributions): in [0, 1].
  bool probabilities;
  /// Builds the loss of `out` against `labels` (`mean`: average it).
  mlir::Value (*build)(mlir::OpBuilder &b, mlir::Location loc, mlir::Value out,
                       mlir::Value labels, bool mean);
};

/// The loss named `name`, or null.
const LossInfo *findLoss(const std::string &name);
std::vector<std::string> lossNames();

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_LOSSES_H
