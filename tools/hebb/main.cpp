//===- main.cpp - the hebb driver -----------------------------------------===//
//
// `hebb <command> ...`: every user error is one line on stderr and exit 1.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Args.h"
#include "tools/hebb/Commands.h"

#include "llvm/Support/InitLLVM.h"

#include <cstring>
#include <iostream>

static const char *kHelp = R"(usage: hebb <command> [options]

hebb compiles neural-network models described in JSON to native code.

commands:
  run       run a model's forward pass on .npy inputs
  train     train a model (one compiled step: forward, loss, backward, update)
  eval      loss and accuracy of a model's parameters over a dataset
  compile   print or write a compilation stage (mlir, linalg, llvm, asm, obj)

Run 'hebb <command> --help' for the options of a command.

examples:
  hebb run samples/perceptron.json --input x=points.npy
  hebb compile samples/mnist_mlp.json --emit=llvm
)";

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  if (argc < 2 || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "-h")) {
    std::cout << kHelp;
    return argc < 2 ? 1 : 0;
  }
  std::string command = argv[1];
  try {
    if (command == "run")
      return hebb::tool::runCommand(argc, argv);
    if (command == "train")
      return hebb::tool::trainCommand(argc, argv);
    if (command == "eval")
      return hebb::tool::evalCommand(argc, argv);
    if (command == "compile")
      return hebb::tool::compileCommand(argc, argv);
    std::cerr << "hebb: unknown command '" << command
              << "' (expected run, train, eval or compile; see hebb --help)\n";
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "hebb: " << e.what() << "\n";
    return 1;
  }
}
