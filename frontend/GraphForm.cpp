//===- GraphForm.cpp - the "graph" model form -----------------------------===//
//
// Named inputs and parameters with shapes (a dimension may be "batch"),
// nodes {name, op, inputs, attributes} in dependency order, named outputs.
// Ops and their attribute names come from the op table (HebbOps.td); how an
// attribute's JSON is read comes from Tables.def.
//
//===----------------------------------------------------------------------===//

#include "frontend/Forms.h"

#include "ir/HebbDialect.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace hebb::frontend {
namespace {

/// Constants with listed values are embedded in the code: keep them small.
constexpr int64_t kMaxConstantElements = int64_t(1) << 20;

enum class AttrKind {
  Bool,
  Int,
  Axis,
  AxisList,
  IntList,
  Float,
  Predicate,
  String
};

std::optional<AttrKind> attrKind(StringRef name) {
#define HEBB_ATTR(json, kind)                                                  \
  if (name == json)                                                            \
    return AttrKind::kind;
#include "frontend/Tables.def"
  return std::nullopt;
}

int64_t readAxis(const JNode &node, int64_t rank) {
  int64_t axis = node.integer(-rank, std::max<int64_t>(rank - 1, 0));
  return axis < 0 ? axis + rank : axis;
}

Attribute readAttr(const JNode &node, StringRef name, int64_t rank,
                   OpBuilder &b) {
  std::optional<AttrKind> kind = attrKind(name);
  if (!kind)
    node.fail("attribute '" + name.str() + "' cannot be given in JSON");
  switch (*kind) {
  case AttrKind::Bool:
    return b.getBoolAttr(node.boolean());
  case AttrKind::Int:
    return b.getI64IntegerAttr(node.integer(1, kMaxElements));
  case AttrKind::Axis:
    return b.getI64IntegerAttr(readAxis(node, rank));
  case AttrKind::AxisList: {
    node.expectArray();
    SmallVector<int64_t> axes;
    for (size_t i = 0; i < node.size(); ++i)
      axes.push_back(readAxis(node.item(i), rank));
    return b.getDenseI64ArrayAttr(axes);
  }
  case AttrKind::IntList: {
    std::vector<int64_t> v = node.intList(0, kMaxElements);
    return b.getDenseI64ArrayAttr(v);
  }
  case AttrKind::Float:
    return b.getF64FloatAttr(node.number());
  case AttrKind::Predicate: {
    std::string p = node.str();
    if (auto pred = symbolizeCmpPredicate(p))
      return CmpPredicateAttr::get(b.getContext(), *pred);
    node.expected("one of \"eq\", \"ne\", \"lt\", \"le\", \"gt\", \"ge\"");
  }
  case AttrKind::String:
    return b.getStringAttr(node.str());
  }
  node.fail("unreachable attribute kind");
}

Value buildConstant(const JNode &node, GraphBuilder &g, Model &model,
                    const std::string &name) {
  node.expectObject({"name", "op", "value", "shape", "dtype"});
  std::vector<int64_t> shape =
      node.has("shape") ? readShape(node.at("shape"), model.batch, true)
                        : std::vector<int64_t>{};
  hebb_dtype dtype = readDtype(node);
  auto type = tensorType(g.context(), shape, dtype);
  JNode value = node.at("value");
  if (!value.json().is_number() && type.getNumElements() > kMaxConstantElements)
    node.at("shape").fail("a constant with explicit values may have at most " +
                          std::to_string(kMaxConstantElements) +
                          " elements; use a parameter instead");
  std::vector<double> values;
  if (value.json().is_number()) {
    values.assign(1, value.number());
  } else {
    values = readValues(value, shape);
  }
  DenseElementsAttr attr;
  if (dtype == HEBB_I32) {
    SmallVector<int32_t> ints;
    for (double v : values) {
      if (v != (double)(int32_t)v)
        value.fail("i32 constant holds a value that is not a 32-bit integer");
      ints.push_back((int32_t)v);
    }
    attr = ints.size() == 1 ? DenseElementsAttr::get(type, ints[0])
                            : DenseElementsAttr::get(type, ArrayRef(ints));
  } else {
    SmallVector<float> floats(values.begin(), values.end());
    attr = floats.size() == 1 ? DenseElementsAttr::get(type, floats[0])
                              : DenseElementsAttr::get(type, ArrayRef(floats));
  }
  NamedAttrList attrs;
  attrs.set("value", attr);
  return g.create("constant", {}, attrs, std::nullopt, node, name);
}

Value buildNode(const JNode &node, GraphBuilder &g, Model &model,
                const std::string &name) {
  JNode opNode = node.at("op");
  std::string op = opNode.str();
  if (op == "constant")
    return buildConstant(node, g, model, name);
  node.expectObject({"name", "op", "inputs", "attributes", "shape"});
  RegisteredOperationName opName = g.opName(op, opNode);
  JNode inputs = node.at("inputs");
  inputs.expectArray();
  SmallVector<Value> operands;
  for (size_t i = 0; i < inputs.size(); ++i)
    operands.push_back(g.lookup(inputs.item(i).str(), inputs.item(i)));
  int64_t rank = operands.empty()
                     ? 0
                     : operands[0].getType().cast<RankedTensorType>().getRank();
  NamedAttrList attrs;
  if (node.has("attributes")) {
    JNode attrNode = node.at("attributes");
    if (!attrNode.json().is_object())
      attrNode.expected("an object");
    std::vector<std::string> allowed;
    for (StringAttr a : opName.getAttributeNames())
      if (attrKind(a.getValue()))
        allowed.push_back(a.getValue().str());
    for (auto it = attrNode.json().begin(); it != attrNode.json().end(); ++it) {
      JNode a = attrNode.at(it.key().c_str());
      if (std::find(allowed.begin(), allowed.end(), it.key()) ==
          allowed.end()) {
        a.fail("op '" + op + "' has no attribute '" + it.key() + "'" +
               didYouMean(it.key(), allowed));
      }
      attrs.set(it.key(), readAttr(a, it.key(), rank, g.builder()));
    }
  }
  std::optional<Type> resultType;
  if (node.has("shape")) {
    if (operands.empty())
      node.fail("op '" + op + "' needs inputs");
    Type elem = operands[0].getType().cast<RankedTensorType>().getElementType();
    resultType = RankedTensorType::get(
        readShape(node.at("shape"), model.batch, true), elem);
  }
  return g.create(op, operands, attrs, resultType, node, name);
}

} // namespace

namespace {
/// `{"name", "shape", ...}`: the name and shape of an input or parameter.
template <typename Spec>
Spec readArgument(const JNode &item, std::initializer_list<const char *> keys,
                  int64_t batch, bool allowBatch) {
  item.expectObject(keys);
  Spec spec;
  spec.name = item.at("name").str();
  spec.shape = readShape(item.at("shape"), batch, allowBatch);
  return spec;
}

void readInputs(const JNode &graph, GraphBuilder &g, Model &model) {
  JNode inputs = graph.at("inputs");
  inputs.expectArray();
  for (size_t i = 0; i < inputs.size(); ++i) {
    JNode in = inputs.item(i);
    auto spec = readArgument<TensorSpec>(in, {"name", "shape", "dtype"},
                                         model.batch, true);
    spec.dtype = readDtype(in);
    g.addArgument(spec.name, tensorType(g.context(), spec.shape, spec.dtype),
                  in.at("name"));
    model.inputs.push_back(spec);
  }
}

/// Fan-in: the product of all dimensions but the first (the first for
/// 1-D); fan-out: the first dimension.
void readParameters(const JNode &params, GraphBuilder &g, Model &model) {
  params.expectArray();
  for (size_t i = 0; i < params.size(); ++i) {
    JNode p = params.item(i);
    auto spec = readArgument<ParamSpec>(p, {"name", "shape", "init"},
                                        model.batch, false);
    checkParamName(spec.name, p.at("name"));
    int64_t fanOut = spec.shape.empty() ? 1 : spec.shape[0], fanIn = 1;
    for (size_t d = 1; d < spec.shape.size(); ++d)
      fanIn *= spec.shape[d];
    if (spec.shape.size() == 1)
      fanIn = spec.shape[0];
    spec.init = {HEBB_INIT_ZEROS, 0, 0, fanIn, fanOut};
    if (p.has("init"))
      readInit(p.at("init"), spec);
    g.addArgument(spec.name, tensorType(g.context(), spec.shape, HEBB_F32),
                  p.at("name"));
    model.params.push_back(std::move(spec));
  }
}

void readNodes(const JNode &nodes, GraphBuilder &g, Model &model) {
  nodes.expectArray();
  for (size_t i = 0; i < nodes.size(); ++i) {
    JNode node = nodes.item(i);
    if (!node.json().is_object())
      node.expected("a node object");
    std::string name = node.at("name").str();
    Value v = buildNode(node, g, model, name);
    g.define(name, v, node.at("name"));
    auto shape = v.getType().cast<RankedTensorType>().getShape();
    model.layers.push_back(
        {name, node.at("op").str(), {shape.begin(), shape.end()}});
  }
}
} // namespace

void buildGraph(const JNode &root, GraphBuilder &g, Model &model) {
  JNode graph = root.at("graph");
  graph.expectObject({"inputs", "parameters", "nodes", "outputs"});
  readInputs(graph, g, model);
  if (graph.has("parameters"))
    readParameters(graph.at("parameters"), g, model);
  readNodes(graph.at("nodes"), g, model);
  JNode outputs = graph.at("outputs");
  outputs.expectArray();
  if (outputs.size() == 0)
    outputs.fail("expected at least one output");
  std::vector<std::pair<std::string, JNode>> outs;
  for (size_t i = 0; i < outputs.size(); ++i)
    outs.emplace_back(outputs.item(i).str(), outputs.item(i));
  g.finish(outs);
}

} // namespace hebb::frontend
