//===- GradientTest.cpp - autodiff vs finite differences, every op --------===//
//
// For each op case, loss = sum_k sum(result_k * r_k) with random weights
// r_k. The gradient program from hebb-autodiff, run by the double-precision
// reference evaluator, must match central finite differences of the loss
// (also in double); the compiled gradient (f32) must match the reference
// gradient. A coverage test fails when a differentiable op has no case.
//
//===----------------------------------------------------------------------===//

#include "Buffers.h"

#include "codegen/Compiler.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace hebb::test;
using hebb::reference::Tensor;

bool isF32(mlir::Type t) {
  return t.cast<mlir::RankedTensorType>().getElementType().isF32();
}

/// Adds @loss(args..., r_k...) = sum_k reduce_sum(f_k * r_k) next to @f,
/// one weight argument r_k per f32 result. Returns false when @f has no f32
/// argument or result (nothing to differentiate).
bool buildLoss(mlir::ModuleOp module) {
  auto f = module.lookupSymbol<mlir::func::FuncOp>("f");
  bool anyArg = llvm::any_of(f.getArgumentTypes(), isF32);
  bool anyResult = llvm::any_of(f.getResultTypes(), isF32);
  if (!anyArg || !anyResult)
    return false;
  mlir::OpBuilder b(module.getContext());
  b.setInsertionPointToEnd(module.getBody());
  auto loss = llvm::cast<mlir::func::FuncOp>(b.clone(*f));
  loss.setSymName("loss");
  mlir::Block &body = loss.getBody().front();
  auto ret = llvm::cast<mlir::func::ReturnOp>(body.getTerminator());
  b.setInsertionPoint(ret);
  auto scalar = mlir::RankedTensorType::get({}, b.getF32Type());
  mlir::Value total;
  for (mlir::Value r : ret.getOperands()) {
    if (!isF32(r.getType()))
      continue;
    auto t = r.getType().cast<mlir::RankedTensorType>();
    mlir::Value w = body.addArgument(t, loss.getLoc());
    mlir::Value p = b.create<hebb::MulOp>(loss.getLoc(), r, w);
    llvm::SmallVector<int64_t> axes;
    for (int64_t i = 0; i < t.getRank(); ++i)
      axes.push_back(i);
    mlir::Value s = b.create<hebb::ReduceSumOp>(
        loss.getLoc(), p, b.getDenseI64ArrayAttr(axes), b.getBoolAttr(false));
    total =
        total ? b.create<hebb::AddOp>(loss.getLoc(), total, s).getResult() : s;
  }
  b.create<mlir::func::ReturnOp>(ret.getLoc(), total);
  ret.erase();
  loss.setFunctionType(mlir::FunctionType::get(
      module.getContext(), body.getArgumentTypes(), {scalar}));
  return true;
}

double evalLoss(mlir::func::FuncOp loss, const std::vector<Tensor> &args) {
  auto r = hebb::reference::evaluate(loss, args);
  EXPECT_TRUE((bool)r);
  if (!r) {
    llvm::consumeError(r.takeError());
    return 0;
  }
  return (*r)[0].data[0];
}

class Gradients : public ::testing::Test {
protected:
  Gradients() { ctx = hebb::createCompilerContext(); }
  std::unique_ptr<mlir::MLIRContext> ctx;
};

/// One test per case, so one failure hides nothing else.
class OpGradients : public ::testing::TestWithParam<Case> {
protected:
  OpGradients() { ctx = hebb::createCompilerContext(); }
  std::unique_ptr<mlir::MLIRContext> ctx;
};

TEST_P(OpGradients, MatchFiniteDifferencesAndCompiledCode) {
  const Case &c = GetParam();
  std::mt19937 rng(99 + std::hash<std::string>()(c.ir) % 100000);
  SCOPED_TRACE(c.op + ":\n" + c.ir);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(c.ir, ctx.get());
  ASSERT_TRUE(module);
  if (!buildLoss(*module))
    GTEST_SKIP() << "no f32 operand or result: nothing to differentiate";
  for (mlir::Type t :
       module->lookupSymbol<mlir::func::FuncOp>("f").getArgumentTypes())
    if (t.cast<mlir::RankedTensorType>().getNumElements() > 100000)
      GTEST_SKIP() << "too large for central differences in a summed loss";
  auto loss = module->lookupSymbol<mlir::func::FuncOp>("loss");
  auto grad = hebb::differentiate(loss, "grad");
  ASSERT_TRUE(mlir::succeeded(grad));

  // Random inputs; weights r_k in [-1, 1].
  std::vector<Buffer> buffers;
  std::vector<Tensor> args;
  for (unsigned k = 0; k < loss.getNumArguments(); ++k) {
    buffers.emplace_back(
        loss.getArgument(k).getType().cast<mlir::RankedTensorType>());
    // Moderate magnitudes keep the loss small enough for central
    // differences in double to resolve one element's contribution.
    Range r = k < c.ranges.size() ? c.ranges[k] : Range{-1, 1};
    if (isF32(loss.getArgument(k).getType()))
      r = {std::max(r.lo, -4.0), std::min(r.hi, 4.0)};
    fillRandom(buffers.back(), r, rng);
    args.push_back(buffers.back().toReference());
  }
  auto analytic = hebb::reference::evaluate(*grad, args);
  ASSERT_TRUE((bool)analytic) << llvm::toString(analytic.takeError());

  // Finite differences on up to 12 elements of each f32 input of @f.
  size_t gradIndex = 1;
  for (unsigned k = 0; k < loss.getNumArguments(); ++k) {
    if (!isF32(loss.getArgument(k).getType()))
      continue;
    const Tensor &g = (*analytic)[gradIndex++];
    if (k >= c.ranges.size())
      continue; // a weight r_k, not an input of the op
    std::uniform_int_distribution<int64_t> pick(0, args[k].numel() - 1);
    for (int trial = 0; trial < 12; ++trial) {
      int64_t e = pick(rng);
      double x = args[k].data[e], h = 1e-6 * std::max(1.0, std::abs(x));
      std::vector<Tensor> plus = args, minus = args;
      plus[k].data[e] = x + h;
      minus[k].data[e] = x - h;
      double fd = (evalLoss(loss, plus) - evalLoss(loss, minus)) / (2 * h);
      EXPECT_NEAR(g.data[e], fd, 1e-6 + 1e-5 * std::abs(fd))
          << "argument " << k << " element " << e;
    }
  }

  // The compiled gradient agrees with the reference gradient.
  auto jit = hebb::compileForJit(*module, {});
  ASSERT_TRUE((bool)jit) << llvm::toString(jit.takeError());
  std::vector<Buffer> results;
  for (mlir::Type t : grad->getResultTypes())
    results.emplace_back(t.cast<mlir::RankedTensorType>());
  std::vector<void *> pointers;
  for (Buffer &b : buffers)
    pointers.push_back(b.data());
  for (Buffer &b : results)
    pointers.push_back(b.data());
  ASSERT_FALSE((bool)(*jit)->invoke("grad", pointers));
  for (size_t r = 0; r < results.size(); ++r) {
    const Tensor &want = (*analytic)[r];
    double scale = 0;
    for (double v : want.data)
      scale = std::max(scale, std::abs(v));
    int bad = 0;
    for (size_t e = 0; e < want.data.size() && bad < 3; ++e)
      if (std::abs(results[r].at(e) - want.data[e]) >
          1e-5 * std::max(1.0, scale) + c.rtol * std::abs(want.data[e])) {
        ADD_FAILURE() << "compiled gradient " << r << " element " << e
                      << ": got " << results[r].at(e) << ", want "
                      << want.data[e];
        ++bad;
      }
  }
}

std::string caseName(const ::testing::TestParamInfo<Case> &info) {
  return info.param.op + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(EveryOp, OpGradients, ::testing::ValuesIn(cases()),
                         caseName);

TEST_F(Gradients, EveryDifferentiableOpHasACase) {
  std::set<std::string> covered;
  for (const Case &c : cases()) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(c.ir, ctx.get());
    ASSERT_TRUE(module) << c.ir;
    if (buildLoss(*module))
      covered.insert(c.op);
  }
  for (mlir::RegisteredOperationName name : ctx->getRegisteredOperations()) {
    if (name.getDialectNamespace() != "hebb" ||
        !name.hasInterface<hebb::DifferentiableOpInterface>())
      continue;
    std::string op = name.getStringRef().drop_front(5).str();
    EXPECT_TRUE(covered.count(op))
        << "hebb." << op << " has no finite-difference check";
  }
}

TEST_F(Gradients, EveryOpIsDifferentiableOrSaysItIsNot) {
  for (mlir::RegisteredOperationName name : ctx->getRegisteredOperations()) {
    if (name.getDialectNamespace() != "hebb")
      continue;
    bool diff = name.hasInterface<hebb::DifferentiableOpInterface>();
    bool non = name.hasTrait<hebb::OpTrait::NonDifferentiable>();
    EXPECT_NE(diff, non) << name.getStringRef().str()
                         << " must have exactly one of a gradient and "
                            "NonDifferentiable";
  }
}

} // namespace
