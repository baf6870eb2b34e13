//===- RunCommand.cpp - hebb run ------------------------------------------===//
//
// Loads a model, materialises its parameters, JIT-compiles @forward for the
// host and runs it once on .npy inputs; outputs go to .npy files or stdout.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/Session.h"

#include "codegen/Compiler.h"

#include <cstdio>
#include <iostream>
#include <map>

namespace hebb::tool {

static const char *kRunHelp = R"(usage: hebb run MODEL.json --input [NAME=]X.npy [options]

Runs one forward pass of MODEL on the given inputs (JIT-compiled for this CPU).
The batch size follows the leading dimension of the input files.

options:
  --input [NAME=]FILE.npy   an input tensor (repeat for several inputs); a
                            JSON list such as '[[0,1],[1,0]]' works too
  --weights FILE            parameters from a safetensors file (PyTorch layouts)
  --output [NAME=]FILE.npy  write an output to FILE instead of printing it
  --seed N                  seed for parameters without values (default 0)
  --batch N                 force the batch size
  --cpu NAME                native (default), x86-64-v3, x86-64-v4

examples:
  hebb run samples/xor.json --input x='[[0,0],[0,1],[1,0],[1,1]]'
  hebb run samples/perceptron.json --input points.npy
  hebb run samples/mnist_mlp.json --input x.npy --weights w.safetensors --output y.npy
)";

static void printTensor(const std::string &name, const hebb_tensor &t) {
  std::vector<int64_t> shape(t.shape, t.shape + t.rank);
  std::cout << name << ": " << hebb_dtype_name(t.dtype) << " "
            << shapeString(shape) << "\n";
  int64_t n = hebb_tensor_numel(&t);
  int64_t row = t.rank ? t.shape[t.rank - 1] : 1;
  const int64_t limit = 2000;
  for (int64_t i = 0; i < n && i < limit; ++i) {
    char buf[32];
    if (t.dtype == HEBB_F32)
      std::snprintf(buf, sizeof buf, "%.6g", ((const float *)t.data)[i]);
    else if (t.dtype == HEBB_I32)
      std::snprintf(buf, sizeof buf, "%d", ((const int32_t *)t.data)[i]);
    else
      std::snprintf(buf, sizeof buf, "%d", ((const uint8_t *)t.data)[i]);
    std::cout << (i % row ? " " : "  ") << buf << ((i + 1) % row ? "" : "\n");
  }
  if (n > limit)
    std::cout << "\n  ... (" << n - limit << " more)\n";
}

int runCommand(int argc, char **argv) {
  Args args(argc, argv, 2,
            {{"input", true}, {"weights", true}, {"output", true},
             {"seed", true}, {"batch", true}, {"cpu", true}, {"help", false}});
  if (args.has("help")) {
    std::cout << kRunHelp;
    return 0;
  }
  if (args.positional.size() != 1)
    throw UsageError("hebb run needs exactly one model file (see --help)");
  Session session;
  int64_t batch = args.integer("batch", 0, 1, frontend::kMaxElements);
  frontend::Model model = session.load(args.positional[0], batch);
  std::vector<Tensor> inputs = session.inputs(model, args.all("input"), batch);
  uint64_t seed = args.integer("seed", 0, 0, INT64_MAX);
  std::vector<Tensor> params =
      session.parameters(model, seed, args.get("weights"));
  std::vector<Tensor> outputs;
  for (auto &spec : model.outputs)
    outputs.push_back(allocate(spec));

  cpu::TargetOptions target;
  target.cpu = args.get("cpu", "native");
  auto jit = compileForJit(*model.module, target);
  if (!jit)
    throw UsageError(model.path + ": " + llvm::toString(jit.takeError()));
  std::vector<void *> pointers;
  for (auto *group : {&inputs, &params, &outputs})
    for (Tensor &t : *group)
      pointers.push_back(t.raw().data);
  if (llvm::Error e = (*jit)->invoke("forward", pointers))
    throw UsageError(llvm::toString(std::move(e)));

  std::map<std::string, std::string> files;
  for (const std::string &f : args.all("output")) {
    size_t eq = f.find('=');
    if (eq == std::string::npos) {
      if (model.outputs.size() != 1)
        throw UsageError("--output " + f + ": the model has several outputs; "
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
      printTensor(name, outputs[i].raw());
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
