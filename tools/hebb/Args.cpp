//===- Args.cpp - the hebb tool's flags -----------------------------------===//

#include "tools/hebb/Args.h"

#include "codegen/Compiler.h"

#include "frontend/Model.h"

namespace hebb::tool {

const flags::Flag kCpuFlag{"cpu", "NAME",
                           "the target CPU: native (default), x86-64-v3, "
                           "x86-64-v4"};
const flags::Flag kTargetFlag{
    "target", "KIND",
    "where the model runs: cpu (default) or nvptx (PTX kernels for an\n"
    "NVIDIA GPU, launched by libhebbrt through the CUDA driver)"};
const flags::Flag kGpuFlag{"gpu", "SM",
                           "the GPU of --target nvptx or --device cuda: "
                           "sm_80 (default), "
                           "sm_90, ..."};

std::string gpuTarget(const flags::Parsed &args) {
  std::string target = args.get("target", "cpu");
  if (target == "cpu") {
    if (args.has("gpu"))
      throw UsageError("--gpu goes with --target nvptx");
    return "";
  }
  if (target != "nvptx")
    throw UsageError("--target " + target + ": expected cpu or nvptx");
  return args.get("gpu", "sm_80");
}

const flags::Flag kDeviceFlag{
    "device", "KIND",
    "where the steps run: cpu (default); cuda (PTX kernels through the CUDA\n"
    "driver, for --gpu SM); gpu-emulation (those kernels' loop programs run\n"
    "by the CPU: the GPU mapping checked without a GPU)"};

std::string deviceTarget(const flags::Parsed &args) {
  std::string device = args.get("device", "cpu");
  if (device == "cpu" || device == kEmulateGpu) {
    if (args.has("gpu"))
      throw UsageError("--gpu goes with --device cuda");
    return device == "cpu" ? "" : device;
  }
  if (device != "cuda")
    throw UsageError("--device " + device +
                     ": expected cpu, cuda or gpu-emulation");
  return args.get("gpu", "sm_80");
}

const flags::Flag kBatchFlag{"batch", "N",
                             "batch size (default: the model's batch_size)"};

flags::Parsed parseArgs(int argc, char **argv,
                        const std::vector<flags::Flag> &flags) {
  return flags::parse(std::vector<std::string>(argv + 2, argv + argc), flags);
}

std::string modelPath(const flags::Parsed &args, const char *command) {
  if (args.positional.size() != 1)
    throw UsageError(std::string("hebb ") + command +
                     " needs exactly one model file (see --help)");
  return args.positional[0];
}

int64_t batchFlag(const flags::Parsed &args) {
  return args.integer("batch", 0, 1, frontend::kMaxElements);
}

} // namespace hebb::tool
