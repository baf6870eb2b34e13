//===- GraphBuilder.cpp - hebb IR from named values -----------------------===//

#include "frontend/GraphBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

using namespace mlir;

namespace hebb::frontend {

std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return os.str();
}

namespace {
/// Collects the first error diagnostic emitted while alive.
class FirstError {
public:
  explicit FirstError(MLIRContext &ctx)
      : handler(&ctx, [this](Diagnostic &d) {
          if (d.getSeverity() == DiagnosticSeverity::Error && message.empty())
            message = d.str();
          return success();
        }) {}
  std::string message;

private:
  ScopedDiagnosticHandler handler;
};
} // namespace

GraphBuilder::GraphBuilder(MLIRContext &ctx, Model &model)
    : ctx(ctx), model(model), b(&ctx) {
  module = ModuleOp::create(b.getUnknownLoc());
  body = std::make_unique<Block>();
  b.setInsertionPointToStart(body.get());
}

Value GraphBuilder::addArgument(const std::string &name, Type type,
                                const JNode &where) {
  Value arg = body->addArgument(type, NameLoc::get(b.getStringAttr(name)));
  define(name, arg, where);
  return arg;
}

Value GraphBuilder::lookup(const std::string &name, const JNode &where) const {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  std::vector<std::string> known;
  for (auto &[k, v] : values)
    known.push_back(k);
  where.fail("unknown value '" + name + "'" + didYouMean(name, known));
}

void GraphBuilder::define(const std::string &name, Value value,
                          const JNode &where) {
  if (name.empty())
    where.fail("names must not be empty");
  if (!values.emplace(name, value).second)
    where.fail("name '" + name + "' is already defined");
}

RegisteredOperationName GraphBuilder::opName(const std::string &op,
                                             const JNode &where) const {
  if (auto name = RegisteredOperationName::lookup("hebb." + op, &ctx))
    return *name;
  std::vector<std::string> known;
  for (RegisteredOperationName n : ctx.getRegisteredOperations())
    if (n.getDialectNamespace() == "hebb")
      known.push_back(n.getStringRef().drop_front(5).str());
  where.fail("unknown op '" + op + "'" + didYouMean(op, known));
}

Value GraphBuilder::create(const std::string &op, ValueRange operands,
                           NamedAttrList attrs, std::optional<Type> resultType,
                           const JNode &where, const std::string &node) {
  RegisteredOperationName name = opName(op, where);
  Location loc = NameLoc::get(b.getStringAttr(node));
  std::string prefix = "node '" + node + "' (" + op + "): ";
  FirstError errors(ctx);
  SmallVector<Type> types;
  if (auto *infer = name.getInterface<InferTypeOpInterface>()) {
    if (failed(infer->inferReturnTypes(&ctx, loc, operands,
                                       attrs.getDictionary(&ctx), {}, types)))
      where.fail(prefix + errors.message);
  } else {
    if (!resultType)
      where.fail(prefix + "needs a result \"shape\"");
    types.push_back(*resultType);
  }
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addAttributes(attrs);
  state.addTypes(types);
  Operation *created = b.create(state);
  if (failed(verify(created))) {
    created->erase();
    where.fail(prefix + errors.message);
  }
  return created->getResult(0);
}

void GraphBuilder::finish(
    const std::vector<std::pair<std::string, JNode>> &outputs) {
  SmallVector<Value> results;
  for (auto &[name, where] : outputs) {
    Value v = lookup(name, where);
    results.push_back(v);
    auto t = v.getType().cast<RankedTensorType>();
    TensorSpec spec;
    spec.name = name;
    spec.shape.assign(t.getShape().begin(), t.getShape().end());
    spec.dtype = t.getElementType().isF32()        ? HEBB_F32
                 : t.getElementType().isInteger(1) ? HEBB_BOOL
                                                   : HEBB_I32;
    model.outputs.push_back(spec);
  }
  b.create<func::ReturnOp>(b.getUnknownLoc(), results);
  auto type = FunctionType::get(&ctx, body->getArgumentTypes(),
                                ValueRange(results).getTypes());
  b.setInsertionPointToEnd(module->getBody());
  auto fn = b.create<func::FuncOp>(b.getUnknownLoc(), "forward", type);
  fn.getBody().push_back(body.release());
  markParamArgs(fn, model.inputs.size(), model);
  model.module = std::move(module);
}

void markParamArgs(Operation *op, unsigned first, const Model &model) {
  auto fn = cast<func::FuncOp>(op);
  Builder b(fn.getContext());
  // All at once: setArgAttr per argument would build a new array of every
  // argument's attributes each time (quadratic in depth).
  SmallVector<DictionaryAttr> argAttrs(fn.getNumArguments(),
                                       b.getDictionaryAttr({}));
  for (size_t i = 0; i < model.params.size(); ++i)
    argAttrs[first + i] = b.getDictionaryAttr(
        b.getNamedAttr(model.params[i].buffer ? "hebb.buffer" : "hebb.param",
                       b.getStringAttr(model.params[i].name)));
  fn.setAllArgAttrs(argAttrs);
}

} // namespace hebb::frontend
