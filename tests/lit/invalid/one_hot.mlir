// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @depth(%l: tensor<8xi32>) {
  // expected-error @+1 {{depth must be at least 1, got 0}}
  %0 = hebb.one_hot %l {depth = 0} : tensor<8xi32> -> tensor<8x0xf32>
  return
}

// -----

func.func @float_labels(%l: tensor<8xf32>) {
  // expected-error @+1 {{'hebb.one_hot' op operand #0 must be statically shaped tensor of i32}}
  %0 = "hebb.one_hot"(%l) {depth = 3 : i64} : (tensor<8xf32>) -> tensor<8x3xf32>
  return
}
