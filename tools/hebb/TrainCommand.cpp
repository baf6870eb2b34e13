//===- TrainCommand.cpp - hebb train and hebb eval ------------------------===//
//
// Both compile the model in process and run the driver that compiled
// programs use (runtime/driver): train builds the whole step (forward,
// loss, backward and update: one function, @train_step) next to @eval and
// @forward; eval compiles @forward and @eval only. Their flags and help are
// the driver's (runtime/driver/Commands.cpp) plus --batch and --cpu.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/JitProgram.h"
#include "tools/hebb/Session.h"

#include "driver/Commands.h"
#include "driver/Driver.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <iostream>

namespace hebb::tool {

namespace {
const char *kTrainExamples =
    "  hebb train samples/xor_train.json\n"
    "  hebb train samples/keras_mnist_mlp.json --epochs 20 --metrics m.csv "
    "--plot m.svg\n"
    "  hebb train model.json --init w0.safetensors --data-x X.npy --data-y "
    "Y.npy \\\n      --steps 10 --no-shuffle --save w10.safetensors\n";
const char *kEvalExamples =
    "  hebb eval samples/keras_mnist_mlp.json --init w.safetensors\n"
    "  hebb eval model.json --init w.safetensors --data-x X.npy --data-y "
    "Y.npy\n";

/// `hebb train|eval`: compile, then hand the parsed flags to the driver.
int driverCommand(const std::string &name, int argc, char **argv) {
  const driver::Command &command = *driver::findCommand(name);
  std::vector<flags::Flag> all = command.flags;
  all.insert(all.end(), {kBatchFlag, kCpuFlag, kDeviceFlag, kGpuFlag});
  flags::Parsed args = parseArgs(argc, argv, all);
  if (args.has("help")) {
    std::cout << driver::helpText(
        "hebb", command, {kBatchFlag, kCpuFlag, kDeviceFlag, kGpuFlag},
        name == "train" ? kTrainExamples : kEvalExamples, "MODEL.json");
    return 0;
  }
  Session session;
  frontend::Model model =
      session.load(modelPath(args, name.c_str()), batchFlag(args));
  if (!model.training.present)
    throw UsageError(model.path + ": hebb " + name +
                     " needs the model's "
                     "\"training\" section (loss and optimizer)");
  if (name == "train") {
    buildTrainingProgram(model);
  } else if (auto loss =
                 model.module->lookupSymbol<mlir::func::FuncOp>("loss")) {
    loss.erase();
  }
  JitProgram program =
      compileProgram(model, args.get("cpu", "native"), deviceTarget(args));
  driver::Extras extras;
  extras.compileMs = program.compileMs;
  return driver::run(&program.desc, name, args, extras);
}
} // namespace

int trainCommand(int argc, char **argv) {
  return driverCommand("train", argc, argv);
}

int evalCommand(int argc, char **argv) {
  return driverCommand("eval", argc, argv);
}

} // namespace hebb::tool
