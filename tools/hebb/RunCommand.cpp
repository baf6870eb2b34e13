//===- RunCommand.cpp - hebb run ------------------------------------------===//
//
// Loads a model, JIT-compiles it for the host and runs @forward once
// through a libhebbrt model context (parameters from the initialisers or
// --init, as train, eval and compiled programs do) on .npy inputs; outputs
// go to .npy files or stdout.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/JitProgram.h"
#include "tools/hebb/Session.h"

#include "driver/Commands.h"
#include "driver/Generate.h"
#include "driver/Report.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdio>
#include <iostream>
#include <map>

namespace hebb::tool {

namespace {
const char *kRunExamples =
    "  hebb run samples/xor.json --input x='[[0,0],[0,1],[1,0],[1,1]]'\n"
    "  hebb run samples/perceptron.json --input points.npy\n"
    "  hebb run samples/mnist_mlp.json --input x.npy --init w.safetensors "
    "--output y.npy\n";

const char *kRunNotes =
    "The batch size follows the leading dimension of the input files; an\n"
    "input may also be a JSON list such as '[[0,1],[1,0]]'.\n";

struct ContextDeleter {
  void operator()(hebb_model *m) const { hebb_model_destroy(m); }
};
} // namespace

int runCommand(int argc, char **argv) {
  driver::Command command = *driver::findCommand("run");
  command.notes = kRunNotes;
  std::vector<flags::Flag> all = command.flags;
  all.insert(all.end(), {kBatchFlag, kCpuFlag, kDeviceFlag, kGpuFlag});
  flags::Parsed args = parseArgs(argc, argv, all);
  if (args.has("help")) {
    std::cout << driver::helpText("hebb", command,
                                  {kBatchFlag, kCpuFlag, kDeviceFlag, kGpuFlag},
                                  kRunExamples, "MODEL.json");
    return 0;
  }
  Session session;
  const bool generate = args.has("generate");
  if (generate && args.has("input"))
    throw UsageError("give --input or --generate, not both");
  // Text is generated one sample at a time.
  int64_t batch = generate && !args.has("batch") ? 1 : batchFlag(args);
  frontend::Model model = session.load(modelPath(args, "run"), batch);
  std::vector<Tensor> inputs;
  if (!generate)
    inputs = session.inputs(model, args.all("input"), batch);
  if (auto loss = model.module->lookupSymbol<mlir::func::FuncOp>("loss"))
    loss.erase();
  JitProgram program =
      compileProgram(model, args.get("cpu", "native"), deviceTarget(args));
  hebb_model *raw = nullptr;
  check(hebb_model_create(&program.desc, &raw));
  std::unique_ptr<hebb_model, ContextDeleter> ctx(raw);
  check(hebb_model_init_params(raw, args.integer("seed", 0, 0, INT64_MAX)));
  if (args.has("init"))
    check(hebb_model_load(raw, args.get("init").c_str()));
  if (generate) {
    std::cout << driver::generateText(raw, driver::generateOptions(args))
              << "\n";
    return 0;
  }
  std::vector<Tensor> outputs;
  std::vector<const void *> in;
  std::vector<void *> out;
  for (Tensor &t : inputs)
    in.push_back(t.raw().data);
  for (auto &spec : model.outputs) {
    outputs.push_back(allocate(spec));
    out.push_back(outputs.back().raw().data);
  }
  check(hebb_model_infer(raw, in.data(), out.data()));
  std::map<std::string, std::string> files;
  for (const std::string &f : args.all("output")) {
    size_t eq = f.find('=');
    if (eq == std::string::npos) {
      if (model.outputs.size() != 1)
        throw UsageError("--output " + f +
                         ": the model has several outputs; "
                         "write --output NAME=FILE.npy");
      files[model.outputs[0].name] = f;
    } else {
      files[f.substr(0, eq)] = f.substr(eq + 1);
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string &name = model.outputs[i].name;
    auto it = files.find(name);
    if (it == files.end()) {
      driver::printTensor(name, outputs[i].raw());
      continue;
    }
    check(hebb_npy_write(it->second.c_str(), &outputs[i].raw()));
    files.erase(it);
  }
  if (!files.empty())
    throw UsageError("--output " + files.begin()->first +
                     "=...: the model has no output of that name");
  return 0;
}

} // namespace hebb::tool
