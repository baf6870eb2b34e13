//===- Optimizers.h - the optimizer table, as data --------------*- C++ -*-===//
//
/// \file
/// ir/Optimizers.def as C++ values: names, default learning rates, state
/// slots and hyper-parameters with PyTorch's defaults. The update rules are
/// the hebb-optimizer pass's (it includes the .def for them).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_IR_OPTIMIZERS_H
#define HEBB_IR_OPTIMIZERS_H

#include "llvm/ADT/StringRef.h"

#include <vector>

namespace hebb::optim {

struct HyperParam {
  const char *name;
  double value;
};

struct Optimizer {
  const char *name;
  double lr;
  std::vector<const char *> slots;
  /// The hyper-parameter whose being 0 means no state ("" : never).
  const char *stateOnlyWith;
  std::vector<HyperParam> params;

  /// `name`'s default: a hyper-parameter's, else 0 (the common settings).
  double defaultOf(llvm::StringRef name) const;
};

struct Setting {
  const char *name;
  double max;
};

const std::vector<Optimizer> &optimizers();
/// The optimizer named `name`, or null.
const Optimizer *find(llvm::StringRef name);
/// weight_decay, l1, clip_norm, clip_value.
const std::vector<Setting> &settings();

} // namespace hebb::optim

#endif // HEBB_IR_OPTIMIZERS_H
