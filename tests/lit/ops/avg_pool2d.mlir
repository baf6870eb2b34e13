// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// LeNet's 2x2 pooling, and a 3x2 window with strides 2 and padding.
// CHECK-LABEL: func @avg_pool2d
// CHECK: hebb.avg_pool2d %arg0 {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<4x6x28x28xf32> -> tensor<4x6x14x14xf32>
// CHECK: hebb.avg_pool2d %arg1 {kernel = array<i64: 3, 2>, padding = array<i64: 1, 1, 1, 0>, strides = array<i64: 2, 2>} : tensor<2x3x7x7xf32> -> tensor<2x3x4x4xf32>
func.func @avg_pool2d(%x: tensor<4x6x28x28xf32>, %y: tensor<2x3x7x7xf32>) -> (tensor<4x6x14x14xf32>, tensor<2x3x4x4xf32>) {
  %0 = hebb.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<4x6x28x28xf32> -> tensor<4x6x14x14xf32>
  %1 = hebb.avg_pool2d %y {kernel = array<i64: 3, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 0>} : tensor<2x3x7x7xf32> -> tensor<2x3x4x4xf32>
  return %0, %1 : tensor<4x6x14x14xf32>, tensor<2x3x4x4xf32>
}
