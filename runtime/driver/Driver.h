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

#include "hebb/model.h"

namespace hebb::driver {

struct Extras {
  /// Milliseconds spent compiling, reported with the results (< 0: none).
  double compileMs = -1;
};

/// argv[0] prefixes messages; argv[1] is train, eval or run.
int main(const hebb_model_desc *model, int argc, char **argv,
         const Extras &extras);

} // namespace hebb::driver

#endif // HEBB_RUNTIME_DRIVER_DRIVER_H
