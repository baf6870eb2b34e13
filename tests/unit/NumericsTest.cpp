//===- NumericsTest.cpp - every op compiled for CPU vs the reference ------===//
//
// Each case is a small function using one op. Inputs are random (seeded,
// never all zeros, odd sizes to exercise vector tails); the JIT-compiled
// code runs in f32 and is compared with the double-precision reference
// evaluator with the case's tolerances, once as CPU code and once as the
// GPU-mapped loop program run by the CPU. A coverage test fails when a
// registered op lacks a case here or its lit tests.
//
//===----------------------------------------------------------------------===//

#include "codegen/Compiler.h"
#include "codegen/reference/Evaluator.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"

#include "Buffers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

namespace {

using hebb::test::Buffer;
using hebb::test::Case;
using hebb::test::cases;
using hebb::test::fillRandom;
using hebb::test::Range;

class Numerics : public ::testing::Test {
protected:
  Numerics() { ctx = hebb::createCompilerContext(); }
  std::unique_ptr<mlir::MLIRContext> ctx;
};

/// One test per case (op, shape, element type), so one failure hides
/// nothing else.
class OpNumerics : public ::testing::TestWithParam<Case> {
protected:
  OpNumerics() { ctx = hebb::createCompilerContext(); }
  std::unique_ptr<mlir::MLIRContext> ctx;
};

/// Compiles `c` for `target`, runs it on random inputs and compares every
/// result with the reference evaluator's.
void checkCase(const Case &c, mlir::MLIRContext *ctx,
               const hebb::cpu::TargetOptions &target) {
  SCOPED_TRACE(c.ir);
  // Seeded per case: a case's inputs do not depend on the others.
  std::mt19937 rng(1234 + std::hash<std::string>()(c.ir) % 100000);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(c.ir, ctx);
  ASSERT_TRUE(module);
  auto fn = module->lookupSymbol<mlir::func::FuncOp>("f");
  ASSERT_TRUE(fn);
  ASSERT_EQ(fn.getNumArguments(), c.ranges.size());
  std::vector<Buffer> args, results;
  std::vector<hebb::reference::Tensor> refArgs;
  for (unsigned k = 0; k < fn.getNumArguments(); ++k) {
    args.emplace_back(
        fn.getArgument(k).getType().cast<mlir::RankedTensorType>());
    fillRandom(args.back(), c.ranges[k], rng);
    refArgs.push_back(args.back().toReference());
  }
  for (mlir::Type t : fn.getResultTypes())
    results.emplace_back(t.cast<mlir::RankedTensorType>());
  auto expected = hebb::reference::evaluate(fn, refArgs);
  ASSERT_TRUE((bool)expected) << llvm::toString(expected.takeError());

  auto jit = hebb::compileForJit(*module, target);
  ASSERT_TRUE((bool)jit) << llvm::toString(jit.takeError());
  std::vector<void *> pointers;
  for (Buffer &b : args)
    pointers.push_back(b.data());
  for (Buffer &b : results)
    pointers.push_back(b.data());
  ASSERT_FALSE((bool)(*jit)->invoke("f", pointers));

  ASSERT_EQ(expected->size(), results.size());
  for (size_t r = 0; r < results.size(); ++r) {
    const auto &want = (*expected)[r];
    ASSERT_EQ((int64_t)want.data.size(), results[r].type.getNumElements());
    int bad = 0;
    for (size_t k = 0; k < want.data.size() && bad < 5; ++k) {
      double got = results[r].at(k), ref = want.data[k];
      if (std::abs(got - ref) > c.atol + c.rtol * std::abs(ref)) {
        ADD_FAILURE() << "element " << k << ": got " << got << ", want " << ref;
        ++bad;
      }
    }
  }
}

TEST_P(OpNumerics, MatchesTheReferenceEvaluator) {
  checkCase(GetParam(), ctx.get(), {});
}

/// The PTX target's loop program (one thread per point of the parallel
/// loops, hebb-map-to-gpu) run by the CPU: its guards, index arithmetic
/// and reduction loops against the evaluator, without a GPU.
TEST_P(OpNumerics, GpuMappingMatchesTheReferenceEvaluator) {
  hebb::cpu::TargetOptions target;
  target.gpu = hebb::kEmulateGpu;
  checkCase(GetParam(), ctx.get(), target);
}

/// "softmax_3", unique per case, for test names.
std::string caseName(const ::testing::TestParamInfo<Case> &info) {
  return info.param.op + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(EveryOp, OpNumerics, ::testing::ValuesIn(cases()),
                         caseName);

TEST_F(Numerics, EveryRegisteredOpHasNumericsAndLitTests) {
  std::vector<Case> all = cases();
  namespace fs = std::filesystem;
  fs::path lit = fs::path(HEBB_SOURCE_DIR) / "tests" / "lit";
  int ops = 0;
  for (mlir::RegisteredOperationName name : ctx->getRegisteredOperations()) {
    // A terminator (hebb.yield) is tested with the op that holds it.
    if (name.getDialectNamespace() != "hebb" ||
        name.hasTrait<mlir::OpTrait::IsTerminator>())
      continue;
    ++ops;
    std::string op = name.getStringRef().drop_front(5).str();
    bool covered = false;
    for (const Case &c : all)
      covered |= c.op == op;
    EXPECT_TRUE(covered) << "hebb." << op << " has no numerics case";
    EXPECT_TRUE(fs::exists(lit / "ops" / (op + ".mlir")))
        << "hebb." << op << " has no round-trip lit test";
    EXPECT_TRUE(fs::exists(lit / "invalid" / (op + ".mlir")))
        << "hebb." << op << " has no invalid-IR lit test";
  }
  EXPECT_GE(ops, 30);
}

} // namespace
