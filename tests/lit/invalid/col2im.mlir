// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @columns(%c: tensor<12x20xf32>) {
  // expected-error @+1 {{columns of the image batch [2, 2, 5, 6] must be [12, 24], got 'tensor<12x20xf32>'}}
  %0 = "hebb.col2im"(%c) {shape = array<i64: 2, 2, 5, 6>, kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>} : (tensor<12x20xf32>) -> tensor<2x2x5x6xf32>
  return
}

// -----

func.func @shape(%c: tensor<12x24xf32>) {
  // expected-error @+1 {{shape must be 4 integers in [1, 2147483647], got [2, 2, 5]}}
  %0 = "hebb.col2im"(%c) {shape = array<i64: 2, 2, 5>, kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>} : (tensor<12x24xf32>) -> tensor<2x2x5x6xf32>
  return
}
