// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @negative(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{padding of dimension 1 must be non-negative}}
  %0 = "hebb.pad"(%x) {low = array<i64: 0, -1>, high = array<i64: 0, 0>, interior = array<i64: 0, 0>} : (tensor<4x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @length(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{low, high and interior need 2 entries each for 'tensor<4x3xf32>'}}
  %0 = "hebb.pad"(%x) {low = array<i64: 0>, high = array<i64: 0, 0>, interior = array<i64: 0, 0>} : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @result(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{inferred type(s) 'tensor<4x5xf32>' are incompatible with return type(s) of operation 'tensor<4x6xf32>'}}
  %0 = "hebb.pad"(%x) {low = array<i64: 0, 0>, high = array<i64: 0, 0>, interior = array<i64: 0, 1>} : (tensor<4x3xf32>) -> tensor<4x6xf32>
  return
}
