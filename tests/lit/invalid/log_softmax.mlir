// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for 'tensor<2x3xf32>'}}
  %0 = "hebb.log_softmax"(%x) {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @missing(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{op requires attribute 'axis'}}
  %0 = "hebb.log_softmax"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}
