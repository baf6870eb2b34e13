//===- JitProgram.cpp - a JIT-compiled model behind hebb_model_desc -------===//

#include "tools/hebb/JitProgram.h"
#include "tools/hebb/Args.h"
#include "tools/hebb/Interface.h"

#include "codegen/Compiler.h"

#include <chrono>

namespace hebb::tool {

JitProgram compileProgram(frontend::Model &model, const std::string &cpu,
                          const std::string &gpu) {
  auto start = std::chrono::steady_clock::now();
  JitProgram p;
  p.interface = interfaceJson(model);
  cpu::TargetOptions target;
  target.cpu = cpu;
  target.gpu = gpu;
  PackedWeights packed;
  auto jit = compileForJit(*model.module, target, &packed);
  if (!jit)
    throw UsageError(model.path + ": " + llvm::toString(jit.takeError()));
  p.interface = withPackedWeights(p.interface, packed);
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
  p.desc.device =
      gpu.empty() || gpu == kEmulateGpu ? HEBB_DEVICE_CPU : HEBB_DEVICE_CUDA;
  p.compileMs = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  return p;
}

} // namespace hebb::tool
