//===- JitProgram.cpp - a JIT-compiled model behind hebb_model_desc -------===//

#include "tools/hebb/JitProgram.h"
#include "tools/hebb/Args.h"
#include "tools/hebb/Interface.h"

#include "codegen/Compiler.h"
#include "driver/Driver.h"

#include <chrono>
#include <optional>

namespace hebb::tool {

JitProgram compileProgram(frontend::Model &model, const std::string &cpu) {
  auto start = std::chrono::steady_clock::now();
  JitProgram p;
  p.interface = interfaceJson(model);
  cpu::TargetOptions target;
  target.cpu = cpu;
  auto jit = compileForJit(*model.module, target);
  if (!jit)
    throw UsageError(model.path + ": " + llvm::toString(jit.takeError()));
  p.jit = std::move(*jit);
  uint64_t scratch = 0;
  auto entry = [&](const char *name) {
    uint64_t bytes = 0;
    auto fn = p.jit->entry(name, &bytes);
    scratch = std::max(scratch, bytes);
    return fn;
  };
  p.desc.abi = HEBB_MODEL_ABI;
  p.desc.interface = p.interface.c_str();
  p.desc.forward = entry("forward");
  p.desc.eval = entry("eval");
  p.desc.train_step = entry("train_step");
  p.desc.scratch_bytes = scratch;
  p.compileMs = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  return p;
}

ToolArgs splitToolArgs(int argc, char **argv) {
  ToolArgs t;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string &flag) -> std::optional<std::string> {
      if (a == "--" + flag) {
        if (i + 1 >= argc)
          throw UsageError("--" + flag + " needs a value");
        return std::string(argv[++i]);
      }
      if (a.rfind("--" + flag + "=", 0) == 0)
        return a.substr(flag.size() + 3);
      return std::nullopt;
    };
    if (a == "--help" || a == "-h") {
      t.help = true;
    } else if (auto v = value("cpu")) {
      t.cpu = *v;
    } else if (auto v = value("batch")) {
      char *end;
      long long n = std::strtoll(v->c_str(), &end, 10);
      if (*end || n < 1 || n > frontend::kMaxElements)
        throw UsageError("--batch " + *v + ": expected an integer from 1 to " +
                         std::to_string(frontend::kMaxElements));
      t.batch = n;
    } else if (a.rfind("--", 0) != 0 && t.model.empty()) {
      t.model = a;
    } else {
      t.driverArgs.push_back(a);
    }
  }
  return t;
}

int runDriver(JitProgram &program, const char *command, const ToolArgs &args) {
  std::vector<std::string> storage = {"hebb", command};
  storage.insert(storage.end(), args.driverArgs.begin(), args.driverArgs.end());
  std::vector<char *> argv;
  for (std::string &s : storage)
    argv.push_back(s.data());
  argv.push_back(nullptr);
  driver::Extras extras;
  extras.compileMs = program.compileMs;
  return driver::main(&program.desc, (int)storage.size(), argv.data(), extras);
}

} // namespace hebb::tool
