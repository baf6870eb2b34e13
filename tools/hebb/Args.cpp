//===- Args.cpp - command-line flags for the hebb driver ------------------===//

#include "tools/hebb/Args.h"

#include "frontend/Json.h"

namespace hebb::tool {

Args::Args(int argc, char **argv, int first,
           const std::vector<FlagSpec> &flags) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positional.push_back(arg);
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1), value;
    size_t eq = body.find('=');
    bool inlineValue = eq != std::string::npos;
    if (inlineValue) {
      value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    const FlagSpec *spec = nullptr;
    std::vector<std::string> names;
    for (const FlagSpec &f : flags) {
      names.push_back("--" + f.name);
      if (f.name == body)
        spec = &f;
    }
    if (!spec) {
      std::string hint = frontend::nearest("--" + body, names);
      throw UsageError("unknown option '" + arg + "'" +
                       (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                       " (see --help)");
    }
    if (spec->takesValue && !inlineValue) {
      if (i + 1 >= argc)
        throw UsageError("option --" + body + " needs a value");
      value = argv[++i];
    } else if (!spec->takesValue && inlineValue) {
      throw UsageError("option --" + body + " takes no value");
    }
    values[body].push_back(value);
  }
}

std::string Args::get(const std::string &name,
                      const std::string &fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string &name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

int64_t Args::integer(const std::string &name, int64_t fallback, int64_t min,
                      int64_t max) const {
  if (!has(name))
    return fallback;
  std::string s = get(name);
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size() && v >= min && v <= max)
      return v;
  } catch (const std::exception &) {
  }
  throw UsageError("option --" + name + " expects an integer in [" +
                   std::to_string(min) + ", " + std::to_string(max) +
                   "], got '" + s + "'");
}

} // namespace hebb::tool
