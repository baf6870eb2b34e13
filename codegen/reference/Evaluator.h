//===- Evaluator.h - the reference evaluator --------------------*- C++ -*-===//
//
/// \file
/// Plain C++ interpretation of hebb IR in double precision with naive loops:
/// the oracle that compiled CPU and PTX code is compared with (like Glow's
/// Interpreter backend). Slow on purpose; clarity over speed.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_REFERENCE_EVALUATOR_H
#define HEBB_CODEGEN_REFERENCE_EVALUATOR_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace hebb::reference {

/// A tensor value; elements are doubles whatever the IR element type
/// (i32 and i1 values are whole numbers).
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  int64_t numel() const;
  static Tensor zeros(std::vector<int64_t> shape);
};

/// Evaluates `fn` (hebb ops and func.return) on `args`, one per argument.
llvm::Expected<std::vector<Tensor>> evaluate(mlir::func::FuncOp fn,
                                             llvm::ArrayRef<Tensor> args);

} // namespace hebb::reference

#endif // HEBB_CODEGEN_REFERENCE_EVALUATOR_H
