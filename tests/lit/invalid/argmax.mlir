// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis -1 is out of range for 'tensor<2x3xf32>'}}
  %0 = "hebb.argmax"(%x) {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2xi32>
  return
}

// -----

func.func @result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'hebb.argmax' op result #0 must be statically shaped tensor of i32, but got 'tensor<2xf32>'}}
  %0 = "hebb.argmax"(%x) {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}
