//===- NumericsTest.cpp - every op compiled for CPU vs the reference ------===//
//
// Each case is a small function using one op. Inputs are random (seeded,
// never all zeros, odd sizes to exercise vector tails); the JIT-compiled
// code runs in f32 and is compared with the double-precision reference
// evaluator with the case's tolerances. A coverage test fails when a
// registered op lacks a case here or its lit tests.
//
//===----------------------------------------------------------------------===//

#include "codegen/Compiler.h"
#include "codegen/reference/Evaluator.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

namespace {

struct Range {
  double lo, hi;
};

struct Case {
  std::string op;
  std::string ir;           // defines func.func @f
  std::vector<Range> ranges; // one per argument
  double atol = 1e-6, rtol = 1e-5;
};

std::string unaryIR(const std::string &op, const std::string &type) {
  return "func.func @f(%x: " + type + ") -> " + type + " {\n  %0 = hebb." +
         op + " %x : " + type + "\n  return %0 : " + type + "\n}";
}

std::string binaryIR(const std::string &op, const std::string &type,
                     const std::string &result = "") {
  std::string r = result.empty() ? type : result;
  return "func.func @f(%x: " + type + ", %y: " + type + ") -> " + r +
         " {\n  %0 = hebb." + op + " %x, %y : " + type + "\n  return %0 : " +
         r + "\n}";
}

std::string oneOpIR(const std::string &args, const std::string &result,
                    const std::string &body) {
  return "func.func @f(" + args + ") -> " + result + " {\n  %0 = " + body +
         "\n  return %0 : " + result + "\n}";
}

std::vector<Case> cases() {
  const std::string f = "tensor<3x17xf32>", i = "tensor<5x7xi32>";
  std::vector<Case> c = {
      {"neg", unaryIR("neg", f), {{-5, 5}}},
      {"neg", unaryIR("neg", i), {{-50, 50}}},
      {"abs", unaryIR("abs", f), {{-5, 5}}},
      {"abs", unaryIR("abs", i), {{-50, 50}}},
      {"exp", unaryIR("exp", f), {{-20, 20}}, 1e-6, 2e-6},
      {"log", unaryIR("log", f), {{1e-3, 1e3}}, 1e-6, 2e-6},
      {"tanh", unaryIR("tanh", f), {{-8, 8}}, 2e-6, 2e-6},
      {"sigmoid", unaryIR("sigmoid", f), {{-20, 20}}, 1e-6, 2e-6},
      {"relu", unaryIR("relu", f), {{-5, 5}}},
      {"relu", unaryIR("relu", i), {{-50, 50}}},
      {"sqrt", unaryIR("sqrt", f), {{1e-3, 1e3}}},
      {"rsqrt", unaryIR("rsqrt", f), {{1e-3, 1e3}}},
      {"add", binaryIR("add", f), {{-5, 5}, {-5, 5}}},
      {"add", binaryIR("add", i), {{-50, 50}, {-50, 50}}},
      {"sub", binaryIR("sub", f), {{-5, 5}, {-5, 5}}},
      {"sub", binaryIR("sub", i), {{-50, 50}, {-50, 50}}},
      {"mul", binaryIR("mul", f), {{-5, 5}, {-5, 5}}},
      {"mul", binaryIR("mul", i), {{-50, 50}, {-50, 50}}},
      {"div", binaryIR("div", f), {{-5, 5}, {0.5, 4}}},
      // Integer division truncates; by zero gives 0 (the range includes 0).
      {"div", binaryIR("div", i), {{-50, 50}, {-3, 3}}},
      {"maximum", binaryIR("maximum", f), {{-5, 5}, {-5, 5}}},
      {"maximum", binaryIR("maximum", i), {{-50, 50}, {-50, 50}}},
      {"minimum", binaryIR("minimum", f), {{-5, 5}, {-5, 5}}},
      {"minimum", binaryIR("minimum", i), {{-50, 50}, {-50, 50}}},
      {"pow", binaryIR("pow", f), {{0.1, 4}, {-3, 3}}, 1e-6, 1e-5},
      {"select",
       oneOpIR("%c: tensor<3x17xi1>, %x: " + f + ", %y: " + f, f,
               "hebb.select %c, %x, %y : tensor<3x17xi1>, " + f),
       {{0, 1}, {-5, 5}, {-5, 5}}},
      {"constant",
       "func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {\n"
       "  %c = hebb.constant dense<[[1.5, -2.0, 3.25], [0.5, 7.0, -1.0]]> : "
       "tensor<2x3xf32>\n"
       "  %0 = hebb.mul %x, %c : tensor<2x3xf32>\n  return %0 : "
       "tensor<2x3xf32>\n}",
       {{-5, 5}}},
  };
  for (const char *pred : {"eq", "ne", "lt", "le", "gt", "ge"}) {
    c.push_back({"compare",
                 binaryIR(std::string("compare ") + pred + ",", i, "tensor<5x7xi1>"),
                 {{-3, 3}, {-3, 3}}});
    c.push_back({"compare",
                 binaryIR(std::string("compare ") + pred + ",", f, "tensor<3x17xi1>"),
                 {{-2, 2}, {-2, 2}}});
  }
  // matmul with every transpose combination; K = 37 is not a vector multiple.
  struct MM {
    const char *attrs, *lhs, *rhs;
  } mms[] = {{"", "tensor<9x37xf32>", "tensor<37x11xf32>"},
             {"{transpose_rhs = true}", "tensor<9x37xf32>", "tensor<11x37xf32>"},
             {"{transpose_lhs = true}", "tensor<37x9xf32>", "tensor<37x11xf32>"},
             {"{transpose_lhs = true, transpose_rhs = true}", "tensor<37x9xf32>",
              "tensor<11x37xf32>"}};
  for (const MM &m : mms)
    c.push_back({"matmul",
                 oneOpIR(std::string("%a: ") + m.lhs + ", %b: " + m.rhs,
                         "tensor<9x11xf32>",
                         std::string("hebb.matmul %a, %b ") + m.attrs + " : " +
                             m.lhs + ", " + m.rhs + " -> tensor<9x11xf32>"),
                 {{-1, 1}, {-1, 1}}, 1e-5, 1e-5});
  const std::string x3 = "tensor<3x5x7xf32>";
  struct Red {
    const char *axes, *keep, *result;
  } reds[] = {{"1", "", "tensor<3x7xf32>"},
              {"0, 2", ", keepdims = true", "tensor<1x5x1xf32>"},
              {"0, 1, 2", "", "tensor<f32>"},
              {"2", ", keepdims = true", "tensor<3x5x1xf32>"}};
  for (const char *op : {"reduce_sum", "reduce_mean", "reduce_max"})
    for (const Red &r : reds)
      c.push_back({op,
                   oneOpIR("%x: " + x3, r.result,
                           std::string("hebb.") + op + " %x {axes = array<i64: " +
                               r.axes + ">" + r.keep + "} : " + x3 + " -> " +
                               r.result),
                   {{-3, 3}}, 1e-5, 1e-5});
  c.push_back({"reduce_sum",
               oneOpIR("%x: tensor<5x7xi32>", "tensor<7xi32>",
                       "hebb.reduce_sum %x {axes = array<i64: 0>} : "
                       "tensor<5x7xi32> -> tensor<7xi32>"),
               {{-50, 50}}});
  c.push_back({"reduce_max",
               oneOpIR("%x: tensor<5x7xi32>", "tensor<5xi32>",
                       "hebb.reduce_max %x {axes = array<i64: 1>} : "
                       "tensor<5x7xi32> -> tensor<5xi32>"),
               {{-50, 50}}});
  // Small integers make ties likely: the first maximum must win.
  c.push_back({"argmax",
               oneOpIR("%x: tensor<6x9xi32>", "tensor<6xi32>",
                       "hebb.argmax %x {axis = 1} : tensor<6x9xi32> -> "
                       "tensor<6xi32>"),
               {{-2, 2}}});
  c.push_back({"argmax",
               oneOpIR("%x: " + x3, "tensor<1x5x7xi32>",
                       "hebb.argmax %x {axis = 0, keepdims = true} : " + x3 +
                           " -> tensor<1x5x7xi32>"),
               {{-3, 3}}});
  for (const char *op : {"softmax", "log_softmax"})
    for (const char *axis : {"0", "1", "2"})
      c.push_back({op,
                   oneOpIR("%x: " + x3, x3,
                           std::string("hebb.") + op + " %x {axis = " + axis +
                               "} : " + x3),
                   {{-10, 10}}, 1e-6, 1e-5});
  c.push_back({"transpose",
               oneOpIR("%x: " + x3, "tensor<7x3x5xf32>",
                       "hebb.transpose %x {permutation = array<i64: 2, 0, 1>} : " +
                           x3 + " -> tensor<7x3x5xf32>"),
               {{-3, 3}}});
  c.push_back({"reshape",
               oneOpIR("%x: " + x3, "tensor<15x7xf32>",
                       "hebb.reshape %x : " + x3 + " -> tensor<15x7xf32>"),
               {{-3, 3}}});
  c.push_back({"reshape",
               oneOpIR("%x: tensor<1x1xi32>", "tensor<i32>",
                       "hebb.reshape %x : tensor<1x1xi32> -> tensor<i32>"),
               {{-30, 30}}});
  c.push_back({"broadcast_in_dim",
               oneOpIR("%x: tensor<5x1xf32>", "tensor<5x4x3xf32>",
                       "hebb.broadcast_in_dim %x {broadcast_dimensions = "
                       "array<i64: 0, 2>} : tensor<5x1xf32> -> tensor<5x4x3xf32>"),
               {{-3, 3}}});
  c.push_back({"concat",
               oneOpIR("%a: tensor<3x2xf32>, %b: tensor<3x5xf32>, %c: "
                       "tensor<3x1xf32>",
                       "tensor<3x8xf32>",
                       "hebb.concat %a, %b, %c {axis = 1} : tensor<3x2xf32>, "
                       "tensor<3x5xf32>, tensor<3x1xf32> -> tensor<3x8xf32>"),
               {{-3, 3}, {-3, 3}, {-3, 3}}});
  c.push_back({"slice",
               oneOpIR("%x: " + x3, "tensor<2x2x3xf32>",
                       "hebb.slice %x {start = array<i64: 1, 0, 1>, limit = "
                       "array<i64: 3, 5, 7>, stride = array<i64: 1, 3, 2>} : " +
                           x3 + " -> tensor<2x2x3xf32>"),
               {{-3, 3}}});
  // Indices include -1 and depth: those rows are all zero.
  c.push_back({"one_hot",
               oneOpIR("%x: tensor<4x5xi32>", "tensor<4x5x6xf32>",
                       "hebb.one_hot %x {depth = 6} : tensor<4x5xi32> -> "
                       "tensor<4x5x6xf32>"),
               {{-1, 6}}});
  return c;
}

/// One argument or result buffer, typed as the IR says.
struct Buffer {
  mlir::RankedTensorType type;
  std::vector<float> f32;
  std::vector<int32_t> i32;
  std::vector<uint8_t> i1;

  explicit Buffer(mlir::RankedTensorType t) : type(t) {
    int64_t n = t.getNumElements();
    if (t.getElementType().isF32())
      f32.resize(n);
    else if (t.getElementType().isInteger(32))
      i32.resize(n);
    else
      i1.resize(n);
  }
  void *data() {
    return !f32.empty() ? (void *)f32.data()
           : !i32.empty() ? (void *)i32.data()
                          : (void *)i1.data();
  }
  double at(size_t k) const {
    return !f32.empty() ? f32[k] : !i32.empty() ? i32[k] : i1[k];
  }
  hebb::reference::Tensor toReference() const {
    hebb::reference::Tensor t;
    t.shape.assign(type.getShape().begin(), type.getShape().end());
    for (int64_t k = 0; k < type.getNumElements(); ++k)
      t.data.push_back(at(k));
    return t;
  }
};

void fillRandom(Buffer &b, Range r, std::mt19937 &rng) {
  std::uniform_real_distribution<double> u(r.lo, r.hi);
  std::uniform_int_distribution<int> ui((int)r.lo, (int)r.hi);
  for (float &v : b.f32)
    v = (float)u(rng);
  for (int32_t &v : b.i32)
    v = ui(rng);
  for (uint8_t &v : b.i1)
    v = ui(rng) != 0;
}

class Numerics : public ::testing::Test {
protected:
  Numerics() {
    mlir::DialectRegistry registry;
    hebb::registerCompilerDialects(registry);
    ctx = std::make_unique<mlir::MLIRContext>(registry);
    ctx->loadDialect<hebb::HebbDialect, mlir::func::FuncDialect>();
  }
  std::unique_ptr<mlir::MLIRContext> ctx;
};

TEST_F(Numerics, EveryOpMatchesTheReferenceEvaluator) {
  std::mt19937 rng(1234);
  for (const Case &c : cases()) {
    SCOPED_TRACE(c.op + ":\n" + c.ir);
    auto module = mlir::parseSourceString<mlir::ModuleOp>(c.ir, ctx.get());
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

    auto jit = hebb::compileForJit(*module, {});
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
      ASSERT_EQ((int64_t)want.data.size(),
                results[r].type.getNumElements());
      int bad = 0;
      for (size_t k = 0; k < want.data.size() && bad < 5; ++k) {
        double got = results[r].at(k), ref = want.data[k];
        if (std::abs(got - ref) > c.atol + c.rtol * std::abs(ref)) {
          ADD_FAILURE() << "element " << k << ": got " << got << ", want "
                        << ref;
          ++bad;
        }
      }
    }
  }
}

TEST_F(Numerics, EveryRegisteredOpHasNumericsAndLitTests) {
  std::vector<Case> all = cases();
  namespace fs = std::filesystem;
  fs::path lit = fs::path(HEBB_SOURCE_DIR) / "tests" / "lit";
  int ops = 0;
  for (mlir::RegisteredOperationName name : ctx->getRegisteredOperations()) {
    if (name.getDialectNamespace() != "hebb")
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
