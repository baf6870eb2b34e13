//===- SummaryCommand.cpp - hebb summary ----------------------------------===//
//
// What Keras' model.summary() shows, for a hebb model: each layer (or graph
// node) with its output shape and parameter count, the totals in elements
// and bytes, and what only a compiler knows: optimizer state, the scratch
// memory planned for the largest entry and a context's whole memory. The
// figures come from the compiled program's interface (hebb_model_*).
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/JitProgram.h"
#include "tools/hebb/Session.h"

#include <array>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>

namespace hebb::tool {

namespace {
const char *kSummaryHelp =
    "usage: hebb summary MODEL.json [options]\n\n"
    "Lists the model's layers with their output shapes and parameter counts,\n"
    "the totals, the optimizer state, and the memory a compiled context\n"
    "takes (parameters and state twice, the planned scratch).\n\n"
    "options:\n";

/// 1234567 -> "1,234,567"
std::string grouped(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = (int)s.size() - 3; i > 0; i -= 3)
    s.insert(i, ",");
  return s;
}

std::string bytes(double b) {
  const char *units[] = {"B", "KiB", "MiB", "GiB"};
  int u = 0;
  while (b >= 1024 && u < 3) {
    b /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.2f %s" : "%.0f %s", b, units[u]);
  return buf;
}

int64_t elements(const hebb_tensor_info &t) {
  return std::accumulate(t.shape, t.shape + t.rank, int64_t(1),
                         std::multiplies<int64_t>());
}

struct Counts {
  int64_t trainable = 0, buffers = 0, bytes = 0;
  std::vector<int64_t> perParam; // elements, in parameter order
};

Counts countParams(hebb_model *ctx) {
  Counts c;
  for (int64_t i = 0, e = hebb_model_count(ctx, HEBB_ROLE_PARAM); i < e; ++i) {
    hebb_tensor_info t;
    check(hebb_model_tensor_info(ctx, HEBB_ROLE_PARAM, i, &t));
    int64_t n = elements(t);
    c.perParam.push_back(n);
    (t.buffer ? c.buffers : c.trainable) += n;
    c.bytes += n * (int64_t)hebb_dtype_size(t.dtype);
  }
  return c;
}

void printLayers(const frontend::Model &model, const Counts &counts) {
  // Rows: (name (type), output shape, parameter count).
  std::vector<std::array<std::string, 3>> rows;
  std::vector<bool> listed(model.params.size());
  for (const frontend::LayerInfo &l : model.layers) {
    int64_t n = 0;
    for (size_t i = 0; i < model.params.size(); ++i)
      if (model.params[i].name.rfind(l.name + ".", 0) == 0) {
        n += counts.perParam[i];
        listed[i] = true;
      }
    rows.push_back(
        {l.name + " (" + l.type + ")", shapeString(l.shape), grouped(n)});
  }
  // Graph-form parameters named after no node.
  for (size_t i = 0; i < model.params.size(); ++i)
    if (!listed[i])
      rows.push_back({model.params[i].name + " (parameter)",
                      shapeString(model.params[i].shape),
                      grouped(counts.perParam[i])});
  int name = 32, shape = 22;
  for (const auto &r : rows) {
    name = std::max(name, int(r[0].size()));
    shape = std::max(shape, int(r[1].size()));
  }
  const std::string rule(size_t(name + shape + 14), '-');
  std::printf("%-*s %-*s %12s\n%s\n", name, "Layer (type)", shape,
              "Output shape", "Param #", rule.c_str());
  for (const auto &r : rows)
    std::printf("%-*s %-*s %12s\n", name, r[0].c_str(), shape, r[1].c_str(),
                r[2].c_str());
  std::printf("%s\n", rule.c_str());
}

void printState(hebb_model *ctx, const std::string &optimizer) {
  int64_t n = 0, slots = hebb_model_count(ctx, HEBB_ROLE_STATE);
  std::string names;
  for (int64_t i = 0; i < slots; ++i) {
    hebb_tensor_info t;
    check(hebb_model_tensor_info(ctx, HEBB_ROLE_STATE, i, &t));
    n += elements(t);
    std::string slot = t.name;
    slot = slot.substr(slot.rfind('.') + 1);
    if (names.find(slot) == std::string::npos)
      names += (names.empty() ? "" : ", ") + slot;
  }
  std::printf("Optimizer state:   %s (%s: %s)\n", grouped(n).c_str(),
              optimizer.c_str(), names.empty() ? "no state" : names.c_str());
}
} // namespace

int summaryCommand(int argc, char **argv) {
  std::vector<flags::Flag> flagList = {kBatchFlag, kCpuFlag};
  flags::Parsed args = parseArgs(argc, argv, flagList);
  if (args.has("help")) {
    std::cout << kSummaryHelp << flags::describe(flagList)
              << "\nexamples:\n  hebb summary samples/keras_mnist_mlp.json\n";
    return 0;
  }
  Session session;
  frontend::Model model =
      session.load(modelPath(args, "summary"), batchFlag(args));
  if (model.training.present)
    buildTrainingProgram(model);
  JitProgram program = compileProgram(model, args.get("cpu", "native"));
  hebb_model *raw = nullptr;
  check(hebb_model_create(&program.desc, &raw));
  std::unique_ptr<hebb_model, void (*)(hebb_model *)> ctx(raw,
                                                          hebb_model_destroy);
  std::printf("Model \"%s\" (batch %lld)\n\n", model.name.c_str(),
              (long long)model.batch);
  Counts counts = countParams(raw);
  printLayers(model, counts);
  std::printf("Total params:      %s (%s)\n",
              grouped(counts.trainable + counts.buffers).c_str(),
              bytes((double)counts.bytes).c_str());
  std::printf("Trainable params:  %s\n", grouped(counts.trainable).c_str());
  std::printf("Buffers:           %s (running statistics, not trained)\n",
              grouped(counts.buffers).c_str());
  if (model.training.present)
    printState(raw, model.training.optimizer);
  std::printf("Scratch:           %s (temporaries of the largest entry, "
              "planned at compile time)\n",
              bytes((double)program.desc.scratch_bytes).c_str());
  std::printf("Context memory:    %s (hebb_model_memory_size)\n",
              bytes((double)hebb_model_memory_size(&program.desc)).c_str());
  return 0;
}

} // namespace hebb::tool
