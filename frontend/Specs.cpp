//===- Specs.cpp - shapes, element types, initialisers, literal values ----===//

#include "frontend/Forms.h"

#include "mlir/IR/BuiltinTypes.h"

namespace hebb::frontend {

void checkElementCount(const std::vector<int64_t> &shape, const JNode &where) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d > 0 && n > kMaxElements / d)
      where.fail("shape has more than " + std::to_string(kMaxElements) +
                 " elements");
    n *= d;
  }
}

std::vector<int64_t> readShape(const JNode &node, int64_t batch,
                               bool allowBatch) {
  node.expectArray();
  if (node.size() > 8)
    node.fail("rank " + std::to_string(node.size()) +
              " is above the limit of 8");
  std::vector<int64_t> shape;
  for (size_t i = 0; i < node.size(); ++i) {
    JNode d = node.item(i);
    if (allowBatch && d.json().is_string() && d.json() == "batch")
      shape.push_back(batch);
    else if (d.json().is_number())
      shape.push_back(d.integer(1, kMaxElements));
    else
      d.expected(allowBatch ? "a positive integer or \"batch\""
                            : "a positive integer");
  }
  checkElementCount(shape, node);
  return shape;
}

hebb_dtype readDtype(const JNode &parent) {
  if (!parent.has("dtype"))
    return HEBB_F32;
  JNode node = parent.at("dtype");
  std::string s = node.str();
  if (s == "f32")
    return HEBB_F32;
  if (s == "i32")
    return HEBB_I32;
  node.expected("\"f32\" or \"i32\"");
}

mlir::Type elementType(mlir::MLIRContext &ctx, hebb_dtype dtype) {
  if (dtype == HEBB_I32)
    return mlir::IntegerType::get(&ctx, 32);
  if (dtype == HEBB_BOOL)
    return mlir::IntegerType::get(&ctx, 1);
  return mlir::Float32Type::get(&ctx);
}

mlir::RankedTensorType tensorType(mlir::MLIRContext &ctx,
                                  const std::vector<int64_t> &shape,
                                  hebb_dtype dtype) {
  return mlir::RankedTensorType::get(shape, elementType(ctx, dtype));
}

namespace {
struct InitEntry {
  const char *name;
  hebb_init_kind kind;
  int args;
};
constexpr InitEntry kInits[] = {
#define HEBB_INIT(name, kind, args) {name, kind, args},
#include "frontend/Tables.def"
};

void flatten(const JNode &node, const std::vector<int64_t> &shape, size_t dim,
             std::vector<double> &out) {
  if (dim == shape.size()) {
    out.push_back(node.number());
    return;
  }
  if (!node.json().is_array() || (int64_t)node.size() != shape[dim])
    node.expected("a list of length " + std::to_string(shape[dim]));
  for (size_t i = 0; i < node.size(); ++i)
    flatten(node.item(i), shape, dim + 1, out);
}
} // namespace

std::vector<double> readValues(const JNode &node,
                               const std::vector<int64_t> &shape) {
  std::vector<double> out;
  flatten(node, shape, 0, out);
  return out;
}

void readInit(const JNode &node, ParamSpec &param) {
  std::vector<std::string> names = {"values"};
  for (const InitEntry &e : kInits)
    names.push_back(e.name);
  auto find = [&](const std::string &name, const JNode &where) {
    for (const InitEntry &e : kInits)
      if (name == e.name)
        return e;
    where.fail("unknown initialiser '" + name + "'" + didYouMean(name, names));
  };
  if (node.json().is_string()) {
    InitEntry e = find(node.str(), node);
    if (e.args != 0)
      node.fail("initialiser '" + std::string(e.name) + "' needs " +
                std::to_string(e.args) + " argument(s): write {\"" + e.name +
                "\": ...}");
    param.init.kind = e.kind;
    return;
  }
  if (!node.json().is_object() || node.size() != 1)
    node.expected("an initialiser name or an object with one key");
  std::string key = node.json().begin().key();
  JNode arg = node.at(key.c_str());
  if (key == "values") {
    param.values = readValues(arg, param.shape);
    return;
  }
  InitEntry e = find(key, arg);
  param.init.kind = e.kind;
  if (e.args == 0)
    return;
  if (e.args == 1) {
    param.init.a = arg.number();
    return;
  }
  if (!arg.json().is_array() || arg.size() != 2)
    arg.expected("a list of 2 numbers");
  param.init.a = arg.item(0).number();
  param.init.b = arg.item(1).number();
  if (e.kind == HEBB_INIT_NORMAL && param.init.b < 0)
    arg.item(1).fail("standard deviation must not be negative");
  if (e.kind == HEBB_INIT_UNIFORM && param.init.a > param.init.b)
    arg.fail("uniform bounds must satisfy low <= high");
}

} // namespace hebb::frontend
