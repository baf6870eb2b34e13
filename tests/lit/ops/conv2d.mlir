// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @conv2d
// CHECK: hebb.conv2d %arg0, %arg1 {dilation = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : tensor<4x1x28x28xf32>, tensor<6x1x5x5xf32> -> tensor<4x6x28x28xf32>
// CHECK: hebb.conv2d %arg2, %arg3 {dilation = array<i64: 2, 1>, groups = 2 : i64, padding = array<i64: 1, 2, 1, 0>, strides = array<i64: 2, 1>} : tensor<2x4x9x8xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x4x7xf32>
func.func @conv2d(%x: tensor<4x1x28x28xf32>, %w: tensor<6x1x5x5xf32>, %x2: tensor<2x4x9x8xf32>, %w2: tensor<6x2x3x3xf32>) -> (tensor<4x6x28x28xf32>, tensor<2x6x4x7xf32>) {
  %0 = hebb.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 1, 1>} : tensor<4x1x28x28xf32>, tensor<6x1x5x5xf32> -> tensor<4x6x28x28xf32>
  %1 = hebb.conv2d %x2, %w2 {strides = array<i64: 2, 1>, padding = array<i64: 1, 2, 1, 0>, dilation = array<i64: 2, 1>, groups = 2} : tensor<2x4x9x8xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x4x7xf32>
  return %0, %1 : tensor<4x6x28x28xf32>, tensor<2x6x4x7xf32>
}
