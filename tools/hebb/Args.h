//===- Args.h - command-line flags for the hebb driver ----------*- C++ -*-===//
//
/// \file
/// A small flag parser: `--name=value`, `--name value`, repeated flags and
/// positional arguments, with unknown flags reported by nearest match.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_ARGS_H
#define HEBB_TOOLS_HEBB_ARGS_H

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace hebb::tool {

/// A user error on the command line or in a file; printed as one line.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct FlagSpec {
  std::string name;
  bool takesValue;
};

class Args {
public:
  /// Parses argv[first..] against `flags`.
  Args(int argc, char **argv, int first, const std::vector<FlagSpec> &flags);

  bool has(const std::string &name) const { return values.count(name) > 0; }
  /// The last value of `name`, or `fallback`.
  std::string get(const std::string &name,
                  const std::string &fallback = "") const;
  /// Every value of a repeated flag.
  std::vector<std::string> all(const std::string &name) const;
  /// An integer flag in [min, max].
  int64_t integer(const std::string &name, int64_t fallback, int64_t min,
                  int64_t max) const;

  std::vector<std::string> positional;

private:
  std::map<std::string, std::vector<std::string>> values;
};

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_ARGS_H
