//===- Json.cpp - JSON with paths and one-line errors ---------------------===//

#include "frontend/Json.h"

#include "runtime/Nearest.h"
#include "runtime/Status.h"

#include "llvm/ADT/StringRef.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace hebb::frontend {

namespace {
constexpr size_t kMaxFileBytes = 256u << 20;
constexpr int kMaxDepth = 64;

/// Line and column (1-based) of byte `offset` in `text`.
std::string position(const std::string &text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

/// Rejects nesting deeper than kMaxDepth before the parser sees it.
void checkDepth(const std::string &path, const std::string &text) {
  int depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth)
        throw FrontendError(path + ": " + position(text, i) +
                            ": nesting deeper than " +
                            std::to_string(kMaxDepth) + " levels");
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}
} // namespace

nlohmann::json parseJsonFile(const std::string &path) {
  std::string text;
  if (rt::readFile(path, text, kMaxFileBytes) != HEBB_OK)
    throw FrontendError(std::string(hebb_last_error()) + " (model file)");
  checkDepth(path, text);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error &e) {
    std::string what = e.what();
    // nlohmann: "[json.exception.parse_error.101] parse error at line 1,
    // column 5: syntax error while parsing value - invalid literal; ..."
    size_t colon = what.find(": ", what.find("column"));
    std::string detail =
        colon == std::string::npos ? what : what.substr(colon + 2);
    throw FrontendError(path + ": " + position(text, e.byte ? e.byte - 1 : 0) +
                        ": malformed JSON: " + detail);
  } catch (const nlohmann::json::exception &e) {
    // Other nlohmann errors (a number beyond double: "1e400") carry no
    // position; keep what follows the "[json.exception....]" tag.
    std::string what = e.what();
    size_t tag = what.find("] ");
    throw FrontendError(
        path + ": malformed JSON: " +
        (tag == std::string::npos ? what : what.substr(tag + 2)));
  }
}

std::string didYouMean(const std::string &word,
                       const std::vector<std::string> &candidates) {
  return rt::didYouMean(word, candidates);
}

void JNode::fail(const std::string &message) const {
  throw FrontendError(file + ": " + (where.empty() ? "/" : where) + ": " +
                      message);
}

std::string JNode::describe() const {
  switch (v->type()) {
  case nlohmann::json::value_t::null:
    return "null";
  case nlohmann::json::value_t::boolean:
    return v->get<bool>() ? "true" : "false";
  case nlohmann::json::value_t::object:
    return "an object";
  case nlohmann::json::value_t::array:
    return v->empty() ? "an empty list"
                      : "a list of length " + std::to_string(v->size());
  case nlohmann::json::value_t::string: {
    std::string s = v->get<std::string>();
    if (s.size() > 40)
      s = s.substr(0, 40) + "...";
    return "\"" + s + "\"";
  }
  default: {
    std::string s = v->dump();
    return s.size() > 40 ? s.substr(0, 40) + "..." : s;
  }
  }
}

void JNode::expected(const std::string &what) const {
  fail("expected " + what + ", found " + describe());
}

bool JNode::has(const char *key) const {
  return v->is_object() && v->contains(key);
}

JNode JNode::at(const char *key) const {
  if (!v->is_object())
    expected("an object");
  auto it = v->find(key);
  if (it == v->end())
    fail(std::string("missing required key '") + key + "'");
  return JNode(*it, file, where + "/" + key);
}

JNode JNode::item(size_t index) const {
  return JNode((*v)[index], file, where + "/" + std::to_string(index));
}

size_t JNode::size() const { return v->size(); }

void JNode::expectObject(std::initializer_list<const char *> allowed) const {
  if (!v->is_object())
    expected("an object");
  std::vector<std::string> keys(allowed.begin(), allowed.end());
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) != keys.end())
      continue;
    JNode(*it, file, where + "/" + it.key())
        .fail("unknown key '" + it.key() + "'" + didYouMean(it.key(), keys));
  }
}

void JNode::expectArray() const {
  if (!v->is_array())
    expected("an array");
}

std::string JNode::str() const {
  if (!v->is_string())
    expected("a string");
  return v->get<std::string>();
}

bool JNode::boolean() const {
  if (!v->is_boolean())
    expected("true or false");
  return v->get<bool>();
}

int64_t JNode::integer(int64_t min, int64_t max) const {
  std::string range = "an integer in [" + std::to_string(min) + ", " +
                      std::to_string(max) + "]";
  if (v->is_number_integer()) {
    bool neg = v->is_number_integer() && !v->is_number_unsigned() &&
               v->get<int64_t>() < 0;
    if (!neg && v->is_number_unsigned() &&
        v->get<uint64_t>() > (uint64_t)INT64_MAX)
      expected(range);
    int64_t x = v->get<int64_t>();
    if (x < min || x > max)
      expected(range);
    return x;
  }
  if (v->is_number_float()) {
    double d = v->get<double>();
    // Only a whole number in int64_t's range [-2^63, 2^63) may be cast.
    if (d >= -0x1p63 && d < 0x1p63 && d == std::trunc(d) && (int64_t)d >= min &&
        (int64_t)d <= max)
      return (int64_t)d;
  }
  expected(range);
}

double JNode::number() const {
  if (!v->is_number())
    expected("a number");
  double d = v->get<double>();
  if (!std::isfinite(d))
    expected("a finite number");
  return d;
}

std::vector<int64_t> JNode::intList(int64_t min, int64_t max) const {
  expectArray();
  std::vector<int64_t> out;
  for (size_t i = 0; i < size(); ++i)
    out.push_back(item(i).integer(min, max));
  return out;
}

} // namespace hebb::frontend
