//===- EvalCommand.cpp - hebb eval ----------------------------------------===//
//
// Loss and accuracy of given parameters over every sample of a dataset,
// with the model's compiled @eval.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/Evaluation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdio>
#include <iostream>

namespace hebb::tool {

static const char *kEvalHelp = R"(usage: hebb eval MODEL.json --init W.safetensors [data] [options]

Evaluates MODEL's loss and (for classifiers) accuracy over every sample.

data (default: the test split of the model's "data"):
  --data NAME           a named dataset's test split: fashion-mnist
  --data-x FILE         inputs: .npy, IDX (.gz or raw) or .csv
  --data-y FILE         labels

options:
  --init FILE           parameters (safetensors); default: the initialiser
  --seed N              seed of the initialiser when there is no --init
  --batch N             evaluation batch size (default: the model's)
  --cpu NAME            native (default), x86-64-v3, x86-64-v4
)";

int evalCommand(int argc, char **argv) {
  Args args(argc, argv, 2,
            {{"data", true}, {"data-x", true}, {"data-y", true},
             {"init", true}, {"seed", true}, {"batch", true}, {"cpu", true},
             {"help", false}});
  if (args.has("help")) {
    std::cout << kEvalHelp;
    return 0;
  }
  if (args.positional.size() != 1)
    throw UsageError("hebb eval needs exactly one model file (see --help)");
  Session session;
  frontend::Model model = session.load(
      args.positional[0], args.integer("batch", 0, 1, frontend::kMaxElements));
  if (!model.training.present)
    throw UsageError(model.path + ": hebb eval needs the model's \"training\" "
                                  "section (its loss)");
  if (model.inputs.size() != 1)
    throw UsageError(model.path + ": hebb eval supports models with one input");
  bool files = args.has("data-x") || args.has("data-y");
  if (files && !(args.has("data-x") && args.has("data-y")))
    throw UsageError("--data-x and --data-y go together");
  std::string named = args.get("data", model.training.dataset);
  if (!files && named.empty())
    throw UsageError("hebb eval needs data: --data-x X --data-y Y or --data NAME");
  Dataset data = loadDataset(files ? DataFiles{args.get("data-x"), args.get("data-y")}
                                   : namedDataset(named, true),
                             model);
  mlir::ModuleOp module = *model.module;
  for (auto fn : llvm::make_early_inc_range(module.getOps<mlir::func::FuncOp>()))
    if (fn.getSymName() != "eval")
      fn.erase();
  std::string cpu = args.get("cpu", "native");
  auto jit = compileModule(module, cpu, model.path);
  std::vector<Tensor> params = session.parameters(
      model, args.integer("seed", 0, 0, INT64_MAX), args.get("init"));
  Evaluation evaluation(session, model, *jit, cpu);
  EvalResult r = evaluation.run(data, params);
  std::printf("loss %.6f", r.loss);
  if (r.accuracy >= 0)
    std::printf("; accuracy %.4f (%lld/%lld)", r.accuracy, (long long)r.correct,
                (long long)r.count);
  std::printf("\n");
  return 0;
}

} // namespace hebb::tool
