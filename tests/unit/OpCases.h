//===- OpCases.h - one small function per op, with input ranges -*- C++ -*-===//
//
// Shared by the numerics test (compiled vs reference) and the gradient test
// (autodiff vs finite differences). Every registered op needs a case here.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TESTS_UNIT_OPCASES_H
#define HEBB_TESTS_UNIT_OPCASES_H

#include <ostream>
#include <string>
#include <vector>

namespace hebb::test {

struct Range {
  double lo, hi;
};

struct Case {
  std::string op;
  std::string ir;            // defines func.func @f
  std::vector<Range> ranges; // one per argument
  double atol = 1e-6, rtol = 1e-5;
};

/// How GoogleTest names a case in its messages.
inline void PrintTo(const Case &c, std::ostream *os) { *os << c.op; }

inline std::string unaryIR(const std::string &op, const std::string &type) {
  return "func.func @f(%x: " + type + ") -> " + type + " {\n  %0 = hebb." + op +
         " %x : " + type + "\n  return %0 : " + type + "\n}";
}

inline std::string binaryIR(const std::string &op, const std::string &type,
                            const std::string &result = "") {
  std::string r = result.empty() ? type : result;
  return "func.func @f(%x: " + type + ", %y: " + type + ") -> " + r +
         " {\n  %0 = hebb." + op + " %x, %y : " + type +
         "\n  return %0 : " + r + "\n}";
}

inline std::string oneOpIR(const std::string &args, const std::string &result,
                           const std::string &body) {
  return "func.func @f(" + args + ") -> " + result + " {\n  %0 = " + body +
         "\n  return %0 : " + result + "\n}";
}

inline std::vector<Case> cases() {
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
      {"erf", unaryIR("erf", f), {{-4, 4}}, 2e-6, 2e-6},
      {"gelu", unaryIR("gelu", f), {{-6, 6}}, 2e-6, 2e-6},
      {"gelu",
       oneOpIR("%x: " + f, f, "hebb.gelu %x {approximate = \"tanh\"} : " + f),
       {{-6, 6}},
       2e-6,
       2e-6},
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
    c.push_back(
        {"compare",
         binaryIR(std::string("compare ") + pred + ",", i, "tensor<5x7xi1>"),
         {{-3, 3}, {-3, 3}}});
    c.push_back(
        {"compare",
         binaryIR(std::string("compare ") + pred + ",", f, "tensor<3x17xi1>"),
         {{-2, 2}, {-2, 2}}});
  }
  // matmul with every transpose combination; K = 37 is not a vector
  // multiple. Then batched: [2, 3] batch dims collapse into one.
  struct MM {
    const char *attrs, *lhs, *rhs;
  } mms[] = {{"", "9x37", "37x11"},
             {"{transpose_rhs = true}", "9x37", "11x37"},
             {"{transpose_lhs = true}", "37x9", "37x11"},
             {"{transpose_lhs = true, transpose_rhs = true}", "37x9", "11x37"}};
  for (std::string batch : {"", "2x3x"})
    for (const MM &m : mms) {
      auto t = [&](const std::string &dims) {
        return "tensor<" + batch + dims + "xf32>";
      };
      c.push_back(
          {"matmul",
           oneOpIR("%a: " + t(m.lhs) + ", %b: " + t(m.rhs), t("9x11"),
                   std::string("hebb.matmul %a, %b ") + m.attrs + " : " +
                       t(m.lhs) + ", " + t(m.rhs) + " -> " + t("9x11")),
           {{-1, 1}, {-1, 1}},
           1e-5,
           1e-5});
    }
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
                           std::string("hebb.") + op +
                               " %x {axes = array<i64: " + r.axes + ">" +
                               r.keep + "} : " + x3 + " -> " + r.result),
                   {{-3, 3}},
                   1e-5,
                   1e-5});
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
                   {{-10, 10}},
                   1e-6,
                   1e-5});
  c.push_back(
      {"transpose",
       oneOpIR("%x: " + x3, "tensor<7x3x5xf32>",
               "hebb.transpose %x {permutation = array<i64: 2, 0, 1>} : " + x3 +
                   " -> tensor<7x3x5xf32>"),
       {{-3, 3}}});
  c.push_back({"reshape",
               oneOpIR("%x: " + x3, "tensor<15x7xf32>",
                       "hebb.reshape %x : " + x3 + " -> tensor<15x7xf32>"),
               {{-3, 3}}});
  c.push_back({"reshape",
               oneOpIR("%x: tensor<1x1xi32>", "tensor<i32>",
                       "hebb.reshape %x : tensor<1x1xi32> -> tensor<i32>"),
               {{-30, 30}}});
  c.push_back(
      {"broadcast_in_dim",
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
  c.push_back(
      {"pad",
       oneOpIR("%x: tensor<3x4xf32>", "tensor<6x9xf32>",
               "hebb.pad %x {low = array<i64: 1, 0>, high = array<i64: 2, 2>, "
               "interior = array<i64: 0, 1>, value = 0.5} : tensor<3x4xf32> -> "
               "tensor<6x9xf32>"),
       {{-3, 3}}});
  c.push_back({"one_hot",
               oneOpIR("%x: tensor<4x5xi32>", "tensor<4x5x6xf32>",
                       "hebb.one_hot %x {depth = 6} : tensor<4x5xi32> -> "
                       "tensor<4x5x6xf32>"),
               {{-1, 6}}});
  // Indices cover every row, repeats and both sides out of range.
  c.push_back(
      {"gather",
       oneOpIR("%x: tensor<6x4xf32>, %y: tensor<3x5xi32>", "tensor<3x5x4xf32>",
               "hebb.gather %x, %y : tensor<6x4xf32>, tensor<3x5xi32> "
               "-> tensor<3x5x4xf32>"),
       {{-2, 2}, {-1, 6}}});
  c.push_back(
      {"gather",
       oneOpIR("%x: tensor<7xf32>, %y: tensor<4x3xi32>", "tensor<4x3xf32>",
               "hebb.gather %x, %y : tensor<7xf32>, tensor<4x3xi32> "
               "-> tensor<4x3xf32>"),
       {{-2, 2}, {-1, 7}}});
  c.push_back(
      {"scatter_add",
       oneOpIR("%x: tensor<3x5x4xf32>, %y: tensor<3x5xi32>", "tensor<6x4xf32>",
               "hebb.scatter_add %x, %y {rows = 6} : "
               "tensor<3x5x4xf32>, tensor<3x5xi32> -> tensor<6x4xf32>"),
       {{-2, 2}, {-1, 6}}});
  // Seeds cover both key words; results must match libhebbrt's Philox.
  c.push_back({"random_uniform",
               oneOpIR("%x: tensor<2xi32>", "tensor<3x5x7xf32>",
                       "hebb.random_uniform %x {shape = array<i64: 3, 5, 7>, "
                       "stream = 5} : tensor<2xi32> -> tensor<3x5x7xf32>"),
               {{-100000, 100000}}});
  c.push_back({"dropout",
               oneOpIR("%x: tensor<4x6xf32>", "tensor<4x6xf32>",
                       "hebb.dropout %x {rate = 0.25} : "
                       "tensor<4x6xf32>"),
               {{-3, 3}}});
  // Twenty softmaxes in a row: 80 loop nests, enough for the compiler to
  // outline each into a kernel function of its own (hebb-outline-kernels).
  {
    std::string body;
    for (int i = 0; i < 20; ++i)
      body += "  %" + std::to_string(i + 1) + " = hebb.softmax %" +
              (i ? std::to_string(i) : std::string("x")) +
              " {axis = 1} : " + f + "\n";
    c.push_back({"softmax",
                 "func.func @f(%x: " + f + ") -> " + f + " {\n" + body +
                     "  return %20 : " + f + "\n}",
                 {{-4, 4}},
                 1e-6,
                 1e-5});
  }
  // A million-element sum: accumulated in f32 the error would be ~1e-5
  // relative; f64 accumulation keeps it at f32 rounding.
  c.push_back({"reduce_sum",
               oneOpIR("%x: tensor<1048576xf32>", "tensor<f32>",
                       "hebb.reduce_sum %x {axes = array<i64: 0>} : "
                       "tensor<1048576xf32> -> tensor<f32>"),
               {{0, 1}},
               0,
               2e-7});
  // BatchNorm1d and BatchNorm2d shapes; variances kept positive.
  for (const char *x : {"tensor<6x4xf32>", "tensor<3x4x2x5xf32>"})
    c.push_back({"batch_norm",
                 oneOpIR(std::string("%x: ") + x +
                             ", %g: tensor<4xf32>, %b: tensor<4xf32>, "
                             "%m: tensor<4xf32>, %v: tensor<4xf32>",
                         x,
                         std::string("hebb.batch_norm %x, %g, %b, %m, %v "
                                     "{epsilon = 1.0e-3, momentum = 0.1} : ") +
                             x + ", tensor<4xf32>"),
                 {{-3, 3}, {-2, 2}, {-2, 2}, {-1, 1}, {0.2, 2}},
                 1e-6,
                 1e-5});
  // Convolutions: plain with uneven padding; and strided, dilated, grouped.
  c.push_back({"conv2d",
               oneOpIR("%x: tensor<2x3x7x6xf32>, %w: tensor<4x3x3x2xf32>",
                       "tensor<2x4x7x6xf32>",
                       "hebb.conv2d %x, %w {strides = array<i64: 1, 1>, "
                       "padding = array<i64: 1, 1, 0, 1>, dilation = "
                       "array<i64: 1, 1>} : tensor<2x3x7x6xf32>, "
                       "tensor<4x3x3x2xf32> -> tensor<2x4x7x6xf32>"),
               {{-2, 2}, {-1, 1}},
               1e-5,
               1e-5});
  c.push_back({"conv2d",
               oneOpIR("%x: tensor<2x4x9x8xf32>, %w: tensor<6x2x3x3xf32>",
                       "tensor<2x6x4x7xf32>",
                       "hebb.conv2d %x, %w {strides = array<i64: 2, 1>, "
                       "padding = array<i64: 1, 2, 1, 0>, dilation = "
                       "array<i64: 2, 1>, groups = 2} : tensor<2x4x9x8xf32>, "
                       "tensor<6x2x3x3xf32> -> tensor<2x6x4x7xf32>"),
               {{-2, 2}, {-1, 1}},
               1e-5,
               1e-5});
  const std::string window = "kernel = array<i64: 2, 3>, strides = "
                             "array<i64: 2, 1>, padding = array<i64: 1, 0, "
                             "1, 1>, dilation = array<i64: 1, 2>";
  c.push_back({"im2col",
               oneOpIR("%x: tensor<2x2x5x6xf32>", "tensor<12x24xf32>",
                       "hebb.im2col %x {" + window +
                           ", value = 0.5} : tensor<2x2x5x6xf32> -> "
                           "tensor<12x24xf32>"),
               {{-3, 3}}});
  c.push_back(
      {"col2im",
       oneOpIR("%x: tensor<12x24xf32>", "tensor<2x2x5x6xf32>",
               "hebb.col2im %x {shape = array<i64: 2, 2, 5, 6>, " + window +
                   "} : tensor<12x24xf32> -> tensor<2x2x5x6xf32>"),
       {{-3, 3}}});
  c.push_back({"max_pool2d",
               oneOpIR("%x: tensor<2x3x7x7xf32>", "tensor<2x3x4x4xf32>",
                       "hebb.max_pool2d %x {kernel = array<i64: 3, 2>, "
                       "strides = array<i64: 2, 2>, padding = array<i64: 1, "
                       "1, 1, 0>} : tensor<2x3x7x7xf32> -> "
                       "tensor<2x3x4x4xf32>"),
               {{-3, 3}}});
  c.push_back({"avg_pool2d",
               oneOpIR("%x: tensor<2x3x6x5xf32>", "tensor<2x3x3x6xf32>",
                       "hebb.avg_pool2d %x {kernel = array<i64: 2, 2>, "
                       "strides = array<i64: 2, 1>, padding = array<i64: 1, "
                       "0, 1, 1>} : tensor<2x3x6x5xf32> -> "
                       "tensor<2x3x3x6xf32>"),
               {{-3, 3}}});
  // scan: an RNN over 4 steps (the states stacked and the last); then a
  // reversed loop with two carries, a second sequence, a bias invariant
  // broadcast inside and a step output that is no carry.
  c.push_back(
      {"scan",
       "func.func @f(%xs: tensor<4x3x5xf32>, %h0: tensor<3x5xf32>, "
       "%w: tensor<5x5xf32>) -> (tensor<4x3x5xf32>, tensor<3x5xf32>) {\n"
       "  %hs, %h = hebb.scan (%xs) carry (%h0) with (%w) {\n"
       "  ^bb0(%x: tensor<3x5xf32>, %s: tensor<3x5xf32>, %v: "
       "tensor<5x5xf32>):\n"
       "    %p = hebb.matmul %s, %v {transpose_rhs = true} : "
       "tensor<3x5xf32>, tensor<5x5xf32> -> tensor<3x5xf32>\n"
       "    %a = hebb.add %x, %p : tensor<3x5xf32>\n"
       "    %n = hebb.tanh %a : tensor<3x5xf32>\n"
       "    hebb.yield %n, %n : tensor<3x5xf32>, tensor<3x5xf32>\n"
       "  } : (tensor<4x3x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>) -> "
       "(tensor<4x3x5xf32>, tensor<3x5xf32>)\n"
       "  return %hs, %h : tensor<4x3x5xf32>, tensor<3x5xf32>\n}",
       {{-1, 1}, {-1, 1}, {-0.7, 0.7}},
       1e-5,
       1e-5});
  c.push_back(
      {"scan",
       "func.func @f(%xs: tensor<5x2x3xf32>, %gs: tensor<5x2x3xf32>, "
       "%a0: tensor<2x3xf32>, %b0: tensor<2x3xf32>, %bias: tensor<3xf32>) "
       "-> (tensor<5x2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {\n"
       "  %ys, %a, %b = hebb.scan (%xs, %gs) carry (%a0, %b0) with (%bias) "
       "attributes {reverse = true} {\n"
       "  ^bb0(%x: tensor<2x3xf32>, %g: tensor<2x3xf32>, %p: tensor<2x3xf32>, "
       "%q: tensor<2x3xf32>, %c: tensor<3xf32>):\n"
       "    %cb = hebb.broadcast_in_dim %c {broadcast_dimensions = "
       "array<i64: 1>} : tensor<3xf32> -> tensor<2x3xf32>\n"
       "    %u = hebb.add %x, %cb : tensor<2x3xf32>\n"
       "    %gate = hebb.sigmoid %g : tensor<2x3xf32>\n"
       "    %pu = hebb.mul %p, %gate : tensor<2x3xf32>\n"
       "    %np = hebb.add %pu, %u : tensor<2x3xf32>\n"
       "    %t = hebb.tanh %np : tensor<2x3xf32>\n"
       "    %nq = hebb.mul %t, %q : tensor<2x3xf32>\n"
       "    %y = hebb.mul %nq, %u : tensor<2x3xf32>\n"
       "    hebb.yield %y, %np, %nq : tensor<2x3xf32>, tensor<2x3xf32>, "
       "tensor<2x3xf32>\n"
       "  } : (tensor<5x2x3xf32>, tensor<5x2x3xf32>, tensor<2x3xf32>, "
       "tensor<2x3xf32>, tensor<3xf32>) -> (tensor<5x2x3xf32>, "
       "tensor<2x3xf32>, tensor<2x3xf32>)\n"
       "  return %ys, %a, %b : tensor<5x2x3xf32>, tensor<2x3xf32>, "
       "tensor<2x3xf32>\n}",
       {{-1, 1}, {-2, 2}, {-1, 1}, {-1.5, 1.5}, {-0.5, 0.5}},
       1e-5,
       1e-5});
  return c;
}

} // namespace hebb::test

#endif // HEBB_TESTS_UNIT_OPCASES_H
