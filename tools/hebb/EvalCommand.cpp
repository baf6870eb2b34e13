//===- EvalCommand.cpp - hebb eval ----------------------------------------===//
//
// Loss and accuracy of given parameters over every sample of a dataset,
// with the model's compiled @eval and the driver compiled programs use.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/JitProgram.h"
#include "tools/hebb/Session.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

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
  ToolArgs args = splitToolArgs(argc, argv);
  if (args.help) {
    std::cout << kEvalHelp;
    return 0;
  }
  if (args.model.empty())
    throw UsageError("hebb eval needs exactly one model file (see --help)");
  Session session;
  frontend::Model model = session.load(args.model, args.batch);
  if (!model.training.present)
    throw UsageError(model.path + ": hebb eval needs the model's \"training\" "
                                  "section (its loss)");
  if (model.inputs.size() != 1)
    throw UsageError(model.path + ": hebb eval supports models with one input");
  mlir::ModuleOp module = *model.module;
  for (auto fn : llvm::make_early_inc_range(module.getOps<mlir::func::FuncOp>()))
    if (fn.getSymName() == "loss")
      fn.erase();
  JitProgram program = compileProgram(model, args.cpu);
  return runDriver(program, "eval", args);
}

} // namespace hebb::tool
