// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @padding(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+1 {{padding [2, 2, 0, 0] must be at most half the kernel [3, 3]}}
  %0 = "hebb.max_pool2d"(%x) {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 2, 2, 0, 0>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x10x6xf32>
  return
}

// -----

func.func @window(%x: tensor<1x1x2x8xf32>) {
  // expected-error @+1 {{the window spans 3x3, more than the padded image [1, 1, 2, 8] (padding [0, 0, 0, 0])}}
  %0 = "hebb.max_pool2d"(%x) {kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x1x2x8xf32>) -> tensor<1x1x1x2xf32>
  return
}

// -----

func.func @strides(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+1 {{requires attribute 'strides'}}
  %0 = "hebb.max_pool2d"(%x) {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32>
  return
}
