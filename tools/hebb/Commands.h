//===- Commands.h - the hebb subcommands ------------------------*- C++ -*-===//

#ifndef HEBB_TOOLS_HEBB_COMMANDS_H
#define HEBB_TOOLS_HEBB_COMMANDS_H

namespace hebb::tool {

/// `hebb run`: one forward pass of a model on .npy inputs.
int runCommand(int argc, char **argv);
/// `hebb train`: compiled training over .npy data.
int trainCommand(int argc, char **argv);
/// `hebb eval`: loss and accuracy of parameters over a dataset.
int evalCommand(int argc, char **argv);
/// `hebb compile`: print or write any stage of compilation.
int compileCommand(int argc, char **argv);
/// `hebb summary`: layers, parameter counts and memory, as Keras'
/// model.summary().
int summaryCommand(int argc, char **argv);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_COMMANDS_H
