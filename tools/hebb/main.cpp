//===- main.cpp - the hebb driver -----------------------------------------===//
//
// `hebb <command> ...`: every user error is one line on stderr and exit 1.
// The commands are one table: dispatch, the help text and "did you mean".
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Args.h"
#include "tools/hebb/Commands.h"

#include "runtime/Nearest.h"

#include "llvm/Support/InitLLVM.h"

#include <cstdio>
#include <cstring>
#include <iostream>

namespace {
struct Command {
  const char *name, *summary;
  int (*run)(int, char **);
};

constexpr Command kCommands[] = {
    {"run", "run a model's forward pass on .npy inputs",
     hebb::tool::runCommand},
    {"train",
     "train a model (one compiled step: forward, loss, backward, "
     "update)",
     hebb::tool::trainCommand},
    {"eval", "loss and accuracy of a model's parameters over a dataset",
     hebb::tool::evalCommand},
    {"compile",
     "print or write a compilation stage or an artifact (mlir, "
     "train, linalg, llvm, asm, obj, header, so, exe)",
     hebb::tool::compileCommand},
    {"summary", "layers, output shapes, parameter counts and memory",
     hebb::tool::summaryCommand}};

void help() {
  std::printf("usage: hebb <command> [options]\n\nhebb compiles neural-network "
              "models described in JSON to native code.\n\ncommands:\n");
  for (const Command &c : kCommands)
    std::printf("  %-9s %s\n", c.name, c.summary);
  std::printf("\nRun 'hebb <command> --help' for the options of a command.\n\n"
              "examples:\n"
              "  hebb train samples/xor_train.json\n"
              "  hebb summary samples/keras_mnist_mlp.json\n"
              "  hebb run samples/perceptron.json --input x=points.npy\n"
              "  hebb compile samples/mnist_mlp.json --emit=llvm\n");
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  if (argc < 2 || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "-h")) {
    help();
    return argc < 2 ? 1 : 0;
  }
  std::string command = argv[1];
  try {
    std::vector<std::string> names;
    std::string list;
    for (const Command &c : kCommands) {
      if (command == c.name)
        return c.run(argc, argv);
      names.push_back(c.name);
      list += std::string(list.empty() ? "" : ", ") + c.name;
    }
    std::string hint = hebb::rt::didYouMean(command, names);
    std::cerr << "hebb: unknown command '" << command << "'"
              << (hint.empty()
                      ? " (expected one of " + list + "; see hebb --help)"
                      : hint + " (see hebb --help)")
              << "\n";
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "hebb: " << e.what() << "\n";
    return 1;
  }
}
