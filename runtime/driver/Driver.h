//===- Driver.h - the training driver, for hebb's own tools -----*- C++ -*-===//
//
/// \file
/// hebb_driver_main with what only the compiler knows: `hebb train` and
/// `hebb eval` build a hebb_model_desc around JIT-compiled entries and run
/// the same driver as compiled programs. Internal (not installed).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_DRIVER_DRIVER_H
#define HEBB_RUNTIME_DRIVER_DRIVER_H

#include "driver/Flags.h"
#include "hebb/model.h"

namespace hebb::driver {

struct Extras {
  /// Milliseconds spent compiling, reported with the results (< 0: none).
  double compileMs = -1;
};

/// A compiled program's main(): argv[0] prefixes messages; argv[1] is
/// train, eval or run (driver/Commands.h), the rest their flags.
int main(const hebb_model_desc *model, int argc, char **argv);

/// Runs `command` with flags parsed against its declaration (plus the
/// caller's own flags, which it ignores). Throws on errors.
int run(const hebb_model_desc *model, const std::string &command,
        const flags::Parsed &args, const Extras &extras);

} // namespace hebb::driver

#endif // HEBB_RUNTIME_DRIVER_DRIVER_H
