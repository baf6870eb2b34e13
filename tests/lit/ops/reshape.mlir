// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @reshape
// CHECK: hebb.reshape %arg0 : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK: hebb.reshape %arg1 : tensor<1xi32> -> tensor<i32>
func.func @reshape(%x: tensor<2x3x4xf32>, %i: tensor<1xi32>) -> (tensor<6x4xf32>, tensor<i32>) {
  %0 = hebb.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = hebb.reshape %i : tensor<1xi32> -> tensor<i32>
  return %0, %1 : tensor<6x4xf32>, tensor<i32>
}
