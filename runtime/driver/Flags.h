//===- Flags.h - the command-line flags of hebb and its programs -*- C++
//-*-===//
//
/// \file
/// One parser for `hebb COMMAND` and for programs from `hebb compile
/// --emit=exe`: `--name value`, `--name=value`, switches, repeated flags,
/// one-letter aliases (-o) and positional arguments. A flag is declared once
/// with its help text; --help output is generated from the declarations,
/// and a mistyped flag gets "did you mean". No MLIR or LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_DRIVER_FLAGS_H
#define HEBB_RUNTIME_DRIVER_FLAGS_H

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace hebb::flags {

/// A command-line mistake; printed as one line.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Flag {
  std::string name;  ///< "epochs": given as --epochs
  std::string value; ///< what it takes ("N", "FILE"); empty: a switch
  std::string help;  ///< one or more lines, '\n'-separated
  std::string alias; ///< "o" for -o, "weights" for --weights, or empty
  bool repeatable = false;

  Flag(std::string name, std::string value, std::string help,
       std::string alias = "", bool repeatable = false)
      : name(std::move(name)), value(std::move(value)), help(std::move(help)),
        alias(std::move(alias)), repeatable(repeatable) {}
};

class Parsed {
public:
  bool has(const std::string &name) const { return values.count(name) > 0; }
  /// The value of `name`, or `fallback`.
  std::string get(const std::string &name,
                  const std::string &fallback = "") const;
  /// Every value of a repeatable flag, in order.
  std::vector<std::string> all(const std::string &name) const;
  /// An integer in [min, max], or `fallback` when absent.
  int64_t integer(const std::string &name, int64_t fallback, int64_t min,
                  int64_t max) const;
  /// A finite number in [lo, hi], or `fallback` when absent.
  double number(const std::string &name, double fallback, double lo,
                double hi) const;

  std::vector<std::string> positional;

private:
  friend Parsed parse(const std::vector<std::string> &,
                      const std::vector<Flag> &);
  std::map<std::string, std::vector<std::string>> values;
};

/// Parses `args` against `flags` (plus --help/-h, always known). Throws
/// Error for an unknown flag (naming the nearest one), a missing value, a
/// value given to a switch, or a non-repeatable flag given twice.
Parsed parse(const std::vector<std::string> &args,
             const std::vector<Flag> &flags);

/// The options block of a --help text: one "  --name VALUE  help" entry per
/// flag, help aligned in one column.
std::string describe(const std::vector<Flag> &flags);

} // namespace hebb::flags

#endif // HEBB_RUNTIME_DRIVER_FLAGS_H
