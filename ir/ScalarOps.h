//===- ScalarOps.h - the scalar meaning of elementwise ops ------*- C++ -*-===//
//
/// \file
/// One definition of what each elementwise hebb op computes on a scalar.
/// Folders use it in float/int32, the reference evaluator in double.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_IR_SCALAROPS_H
#define HEBB_IR_SCALAROPS_H

#include <cmath>
#include <cstdint>

namespace hebb::scalar {

template <typename T> T neg(T x) { return -x; }
template <typename T> T abs(T x) { return x < 0 ? -x : x; }
template <typename T> T exp(T x) { return std::exp(x); }
template <typename T> T log(T x) { return std::log(x); }
template <typename T> T tanh(T x) { return std::tanh(x); }
template <typename T> T sigmoid(T x) { return T(1) / (T(1) + std::exp(-x)); }
template <typename T> T relu(T x) { return x > T(0) ? x : T(0); }
template <typename T> T sqrt(T x) { return std::sqrt(x); }
template <typename T> T rsqrt(T x) { return T(1) / std::sqrt(x); }
template <typename T> T erf(T x) { return std::erf(x); }
/// PyTorch's gelu: exact (x Phi(x)) or its tanh approximation.
template <typename T> T gelu(T x, bool tanhForm) {
  if (!tanhForm)
    return T(0.5) * x * (T(1) + std::erf(x * T(0.70710678118654752440)));
  T inner = T(0.79788456080286535588) * (x + T(0.044715) * x * x * x);
  return T(0.5) * x * (T(1) + std::tanh(inner));
}

template <typename T> T add(T x, T y) { return x + y; }
template <typename T> T sub(T x, T y) { return x - y; }
template <typename T> T mul(T x, T y) { return x * y; }
/// Float division; integer division by zero is defined to give 0.
template <typename T> T div(T x, T y) { return x / y; }
template <typename T> T maximum(T x, T y) { return x > y ? x : y; }
template <typename T> T minimum(T x, T y) { return x < y ? x : y; }
template <typename T> T pow(T x, T y) { return std::pow(x, y); }

/// `pred` is the CmpPredicate value: eq, ne, lt, le, gt, ge.
template <typename T> bool compare(int pred, T x, T y) {
  switch (pred) {
  case 0:
    return x == y;
  case 1:
    return x != y;
  case 2:
    return x < y;
  case 3:
    return x <= y;
  case 4:
    return x > y;
  case 5:
    return x >= y;
  }
  return false;
}

} // namespace hebb::scalar

#endif // HEBB_IR_SCALAROPS_H
