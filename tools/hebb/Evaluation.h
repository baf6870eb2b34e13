//===- Evaluation.h - compiled @eval over a whole dataset -------*- C++ -*-===//
//
/// \file
/// Runs the model's compiled @eval (loss and outputs) over every sample of a
/// dataset in order. The last, partial batch runs through @eval compiled at
/// its own size (static shapes), so no sample is dropped or padded.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_EVALUATION_H
#define HEBB_TOOLS_HEBB_EVALUATION_H

#include "tools/hebb/Data.h"

#include "codegen/cpu/Jit.h"

#include <map>
#include <memory>

namespace hebb::tool {

struct EvalResult {
  double loss = 0;      // batch losses weighted by batch size, over samples
  double accuracy = -1; // < 0 when the loss is not a classification loss
  int64_t correct = 0, count = 0;
};

/// Compiles `module` (already holding the functions wanted) for the JIT.
std::unique_ptr<cpu::JitModule> compileModule(mlir::ModuleOp module,
                                              const std::string &cpu,
                                              const std::string &what);

class Evaluation {
public:
  /// `main` must contain @eval for `model`'s batch size.
  Evaluation(Session &session, const frontend::Model &model,
             cpu::JitModule &main, std::string cpu)
      : session(session), model(model), main(main), cpu(std::move(cpu)) {}

  EvalResult run(const Dataset &data, std::vector<Tensor> &params);

private:
  cpu::JitModule &jitFor(int64_t rows);
  Session &session;
  const frontend::Model &model;
  cpu::JitModule &main;
  std::string cpu;
  std::map<int64_t, std::unique_ptr<cpu::JitModule>> tails;
};

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_EVALUATION_H
