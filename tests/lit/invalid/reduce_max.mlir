// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for 'tensor<2x3xf32>'}}
  %0 = "hebb.reduce_max"(%x) {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @repeated(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 1 is repeated}}
  %0 = "hebb.reduce_max"(%x) {axes = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  %0 = "hebb.reduce_max"(%x) {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}
