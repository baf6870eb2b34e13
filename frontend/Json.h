//===- Json.h - JSON with paths and one-line errors -------------*- C++ -*-===//
//
/// \file
/// Reading model files: a parse that reports line and column, and a node
/// view that knows its JSON path (/layers/3/units) so every complaint names
/// the file, the place, what was expected and what was found.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_FRONTEND_JSON_H
#define HEBB_FRONTEND_JSON_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace hebb::frontend {

/// A user error in a model file; what() is the full one-line message.
class FrontendError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Parses `path`, rejecting files over 256 MiB or nested deeper than 64.
nlohmann::json parseJsonFile(const std::string &path);

/// "; did you mean 'X'?" for the closest of `candidates` to `word`, or ""
/// if none is close (the rule of runtime/Nearest.h, for every name).
std::string didYouMean(const std::string &word,
                       const std::vector<std::string> &candidates);

/// A JSON value with its file and path.
class JNode {
public:
  JNode(const nlohmann::json &value, std::string file, std::string path)
      : v(&value), file(std::move(file)), where(std::move(path)) {}

  const nlohmann::json &json() const { return *v; }
  const std::string &path() const { return where; }
  const std::string &fileName() const { return file; }

  /// Throws "file: path: message".
  [[noreturn]] void fail(const std::string &message) const;
  /// Throws "file: path: expected X, found Y".
  [[noreturn]] void expected(const std::string &what) const;

  bool has(const char *key) const;
  /// A required member (the object must be an object).
  JNode at(const char *key) const;
  JNode item(size_t index) const;
  size_t size() const;

  /// Checks this is an object whose keys are all in `allowed`; an unknown
  /// key is reported with the nearest allowed key.
  void expectObject(std::initializer_list<const char *> allowed) const;
  void expectArray() const;

  std::string str() const;
  bool boolean() const;
  int64_t integer(int64_t min, int64_t max) const;
  double number() const;
  std::vector<int64_t> intList(int64_t min, int64_t max) const;

  /// A readable name of the JSON type and a short excerpt of the value.
  std::string describe() const;

private:
  const nlohmann::json *v;
  std::string file, where;
};

} // namespace hebb::frontend

#endif // HEBB_FRONTEND_JSON_H
