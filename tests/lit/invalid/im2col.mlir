// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @kernel(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{kernel must be 2 integers in [1, 2147483647], got [0, 2]}}
  %0 = "hebb.im2col"(%x) {kernel = array<i64: 0, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1xf32>
  return
}

// -----

// 64 channels, a 1000x1000 kernel dilated to fit a padded 2000x2000 image:
// the columns would hold 64e6 x 1e6 elements.
func.func @huge(%x: tensor<1x64x2x2xf32>) {
  // expected-error @+1 {{its columns (im2col) would have 2^31 or more elements}}
  %0 = "hebb.im2col"(%x) {kernel = array<i64: 1000, 1000>, strides = array<i64: 1, 1>, padding = array<i64: 999, 999, 999, 999>, dilation = array<i64: 1, 1>} : (tensor<1x64x2x2xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @rank(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{operand must be 4-D [N, C, H, W], got 'tensor<4x4xf32>'}}
  %0 = "hebb.im2col"(%x) {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<4x9xf32>
  return
}
