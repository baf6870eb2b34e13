//===- Optimizers.cpp - the optimizer table, as data ----------------------===//

#include "ir/Optimizers.h"

namespace hebb::optim {

double Optimizer::defaultOf(llvm::StringRef key) const {
  for (const HyperParam &p : params)
    if (key == p.name)
      return p.value;
  return 0;
}

const std::vector<Optimizer> &optimizers() {
#define HEBB_SLOTS(...)                                                        \
  { __VA_ARGS__ }
#define HEBB_OPTIMIZER(name, rule, lr, slots, only, ...)                       \
  Optimizer{name, lr, slots, only, {__VA_ARGS__}},
  static const std::vector<Optimizer> table = {
#include "ir/Optimizers.def"
  };
#undef HEBB_SLOTS
  return table;
}

const Optimizer *find(llvm::StringRef name) {
  for (const Optimizer &o : optimizers())
    if (name == o.name)
      return &o;
  return nullptr;
}

const std::vector<Setting> &settings() {
  static const std::vector<Setting> table = {
#define HEBB_OPTIMIZER_SETTING(name, max) {name, max},
#include "ir/Optimizers.def"
  };
  return table;
}

} // namespace hebb::optim
