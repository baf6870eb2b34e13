// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @broadcast_in_dim
// CHECK: hebb.broadcast_in_dim %arg0 {broadcast_dimensions = array<i64: 1>} : tensor<5xf32> -> tensor<3x5xf32>
// CHECK: hebb.broadcast_in_dim %arg1 {broadcast_dimensions = array<i64: 0, 2>} : tensor<3x1xf32> -> tensor<3x4x6xf32>
func.func @broadcast_in_dim(%b: tensor<5xf32>, %c: tensor<3x1xf32>) -> (tensor<3x5xf32>, tensor<3x4x6xf32>) {
  %0 = hebb.broadcast_in_dim %b {broadcast_dimensions = array<i64: 1>} : tensor<5xf32> -> tensor<3x5xf32>
  %1 = hebb.broadcast_in_dim %c {broadcast_dimensions = array<i64: 0, 2>} : tensor<3x1xf32> -> tensor<3x4x6xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<3x4x6xf32>
}
