//===- Commands.h - train, eval and run: their flags and help ---*- C++ -*-===//
//
/// \file
/// The commands of the training driver, declared once: `hebb train|eval|run`
/// and compiled programs' `PROG train|eval|run` take these flags (hebb adds
/// its compiler's own, such as --cpu), and both --help texts come from here.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_DRIVER_COMMANDS_H
#define HEBB_RUNTIME_DRIVER_COMMANDS_H

#include "driver/Flags.h"

namespace hebb::driver {

struct Command {
  std::string name;    ///< "train"
  std::string args;    ///< what follows the command besides options
  std::string brief;   ///< one line, for the list of commands
  std::string summary; ///< a paragraph
  std::vector<flags::Flag> flags;
  std::string notes; ///< after the options (may be empty)
};

/// train, eval or run; null for another name.
const Command *findCommand(const std::string &name);
const std::vector<Command> &commands();

/// "usage: PROGRAM NAME ARGS [options]\n\nSUMMARY\n\noptions:\n..." with
/// `extra` flags after the command's own, then the notes and `examples`.
/// `operand` (such as "MODEL.json") follows the command name.
std::string helpText(const std::string &program, const Command &command,
                     const std::vector<flags::Flag> &extra,
                     const std::string &examples,
                     const std::string &operand = "");

} // namespace hebb::driver

#endif // HEBB_RUNTIME_DRIVER_COMMANDS_H
