//===- Evaluation.cpp - compiled @eval over a whole dataset ---------------===//

#include "tools/hebb/Evaluation.h"

#include "codegen/Compiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <algorithm>
#include <numeric>

namespace hebb::tool {

std::unique_ptr<cpu::JitModule> compileModule(mlir::ModuleOp module,
                                              const std::string &cpuName,
                                              const std::string &what) {
  cpu::TargetOptions target;
  target.cpu = cpuName;
  auto jit = compileForJit(module, target);
  if (!jit)
    throw UsageError(what + ": " + llvm::toString(jit.takeError()));
  return std::move(*jit);
}

cpu::JitModule &Evaluation::jitFor(int64_t rows) {
  if (rows == model.batch)
    return main;
  auto &slot = tails[rows];
  if (!slot) {
    // The same model at the tail's batch size; only @eval is compiled.
    frontend::Model tail = session.load(model.path, rows);
    mlir::ModuleOp m = *tail.module;
    for (auto fn : llvm::make_early_inc_range(m.getOps<mlir::func::FuncOp>()))
      if (fn.getSymName() != "eval")
        fn.erase();
    slot = compileModule(m, cpu, model.path);
  }
  return *slot;
}

EvalResult Evaluation::run(const Dataset &data, std::vector<Tensor> &params) {
  EvalResult r;
  std::vector<int64_t> order(data.count);
  std::iota(order.begin(), order.end(), 0);
  double lossSum = 0;
  bool classify = true;
  for (int64_t first = 0; first < data.count; first += model.batch) {
    int64_t rows = std::min(model.batch, data.count - first);
    auto resize = [&](const frontend::TensorSpec &spec) {
      frontend::TensorSpec s = spec;
      s.shape[0] = rows;
      return allocate(s);
    };
    Tensor x = resize(model.inputs[0]), y = resize(model.training.labels);
    Tensor out = resize(model.outputs[0]);
    Tensor loss = allocate(frontend::TensorSpec{});
    gather(data, order, first, rows, x, y);
    std::vector<void *> ptrs = {x.raw().data, y.raw().data};
    for (Tensor &p : params)
      ptrs.push_back(p.raw().data);
    ptrs.push_back(loss.raw().data);
    ptrs.push_back(out.raw().data);
    if (llvm::Error e = jitFor(rows).invoke("eval", ptrs))
      throw UsageError(llvm::toString(std::move(e)));
    lossSum += *(float *)loss.raw().data * rows;
    int64_t c = countCorrect(model, out, y, rows);
    classify = classify && c >= 0;
    r.correct += std::max<int64_t>(c, 0);
  }
  r.count = data.count;
  r.loss = lossSum / data.count;
  r.accuracy = classify ? (double)r.correct / data.count : -1;
  return r;
}

} // namespace hebb::tool
