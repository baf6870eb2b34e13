// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @not_permutation(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation is not a permutation of 0..1}}
  %0 = "hebb.transpose"(%x) {permutation = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation has 3 entries, operand 'tensor<2x3xf32>' has rank 2}}
  %0 = "hebb.transpose"(%x) {permutation = array<i64: 0, 1, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}
