//===- Flags.cpp - the command-line flags of hebb and its programs --------===//

#include "driver/Flags.h"

#include "Nearest.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace hebb::flags {

namespace {
const Flag kHelp{"help", "", "print this help", "h"};

/// Whether `name` (without dashes) names `f`: -x for a one-letter alias,
/// --name or --alias otherwise.
bool names(const Flag &f, const std::string &name, bool shortForm) {
  if (shortForm)
    return f.alias.size() == 1 && f.alias == name;
  return f.name == name || (f.alias.size() > 1 && f.alias == name);
}

const Flag *find(const std::string &name, bool shortForm,
                 const std::vector<Flag> &flags) {
  for (const Flag &f : flags)
    if (names(f, name, shortForm))
      return &f;
  return names(kHelp, name, shortForm) ? &kHelp : nullptr;
}

[[noreturn]] void unknown(const std::string &arg, const std::string &body,
                          const std::vector<Flag> &flags) {
  std::vector<std::string> names = {"--help"};
  for (const Flag &f : flags)
    names.push_back("--" + f.name);
  throw Error("unknown option '" + arg + "'" +
              rt::didYouMean("--" + body, names) + " (see --help)");
}
} // namespace

Parsed parse(const std::vector<std::string> &args,
             const std::vector<Flag> &flags) {
  Parsed p;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") {
      p.positional.push_back(arg);
      continue;
    }
    bool shortForm = arg[1] != '-';
    std::string body = arg.substr(shortForm ? 1 : 2), value;
    size_t eq = body.find('=');
    bool inlineValue = eq != std::string::npos;
    if (inlineValue) {
      value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    const Flag *f = find(body, shortForm, flags);
    if (!f)
      unknown(arg, body, flags);
    if (!f->value.empty() && !inlineValue) {
      if (i + 1 >= args.size())
        throw Error("option --" + f->name + " needs a value (" + f->value +
                    ")");
      value = args[++i];
    } else if (f->value.empty() && inlineValue) {
      throw Error("option --" + f->name + " takes no value");
    }
    if (p.has(f->name) && !f->repeatable)
      throw Error("option --" + f->name + " given twice");
    p.values[f->name].push_back(value);
  }
  return p;
}

std::string Parsed::get(const std::string &name,
                        const std::string &fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second.back();
}

std::vector<std::string> Parsed::all(const std::string &name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

int64_t Parsed::integer(const std::string &name, int64_t fallback, int64_t min,
                        int64_t max) const {
  if (!has(name))
    return fallback;
  std::string s = get(name);
  char *end = nullptr;
  errno = 0;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end || errno || v < min || v > max)
    throw Error("option --" + name + " expects an integer in [" +
                std::to_string(min) + ", " + std::to_string(max) + "], got '" +
                s + "'");
  return v;
}

double Parsed::number(const std::string &name, double fallback, double lo,
                      double hi) const {
  if (!has(name))
    return fallback;
  std::string s = get(name);
  char *end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end || !std::isfinite(v) || v < lo || v > hi) {
    char range[96];
    std::snprintf(range, sizeof range, "[%g, %g]", lo, hi);
    throw Error("option --" + name + " expects a number in " + range +
                ", got '" + s + "'");
  }
  return v;
}

std::string describe(const std::vector<Flag> &flags) {
  const size_t column = 24;
  std::string out;
  for (const Flag &f : flags) {
    std::string left = "  " +
                       (f.alias.size() == 1 ? "-" + f.alias + ", " : "") +
                       "--" + f.name + (f.value.empty() ? "" : " " + f.value);
    left += left.size() + 2 <= column ? std::string(column - left.size(), ' ')
                                      : "\n" + std::string(column, ' ');
    std::string help = f.help;
    for (size_t at = help.find('\n'); at != std::string::npos;
         at = help.find('\n', at + column + 1))
      help.insert(at + 1, std::string(column, ' '));
    if (f.alias.size() > 1)
      help += " (also --" + f.alias + ")";
    out += left + help + "\n";
  }
  return out;
}

} // namespace hebb::flags
