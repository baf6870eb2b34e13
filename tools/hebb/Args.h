//===- Args.h - the hebb tool's flags ---------------------------*- C++ -*-===//
//
/// \file
/// hebb's commands parse their flags with the driver's parser
/// (runtime/driver/Flags.h); train, eval and run take the driver's
/// declarations of their flags (runtime/driver/Commands.h) plus the
/// compiler's own, declared here once.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_ARGS_H
#define HEBB_TOOLS_HEBB_ARGS_H

#include "driver/Flags.h"

namespace hebb::tool {

/// A user error on the command line or in a file; printed as one line.
using UsageError = flags::Error;

/// --cpu NAME and --batch N.
extern const flags::Flag kCpuFlag, kBatchFlag, kTargetFlag, kGpuFlag,
    kDeviceFlag;

/// The `gpu` of the compiler for --device and --gpu: "" (CPU), sm_NN
/// (cuda) or kEmulateGpu.
std::string deviceTarget(const flags::Parsed &args);

/// The GPU chip (sm_NN) of --target nvptx and --gpu, or "" for the CPU.
std::string gpuTarget(const flags::Parsed &args);

/// argv[2..] parsed against `flags`.
flags::Parsed parseArgs(int argc, char **argv,
                        const std::vector<flags::Flag> &flags);

/// The one model file a command takes: positional[0], or a usage error.
std::string modelPath(const flags::Parsed &args, const char *command);

/// --batch, or 0 (the model's own).
int64_t batchFlag(const flags::Parsed &args);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_ARGS_H
