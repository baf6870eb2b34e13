// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @reduce_max
// CHECK: hebb.reduce_max %arg0 {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
// CHECK: hebb.reduce_max %arg0 {axes = array<i64: 0, 2>, keepdims = true} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
// CHECK: hebb.reduce_max %arg0 {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
func.func @reduce_max(%x: tensor<2x3x4xf32>) -> (tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>) {
  %0 = hebb.reduce_max %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %1 = hebb.reduce_max %x {axes = array<i64: 0, 2>, keepdims = true} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  %2 = hebb.reduce_max %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
  return %0, %1, %2 : tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>
}
