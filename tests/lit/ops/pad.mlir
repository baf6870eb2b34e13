// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @pad
// CHECK: hebb.pad %arg0 {high = array<i64: 0, 2>, interior = array<i64: 0, 1>, low = array<i64: 0, 1>} : tensor<4x3xf32> -> tensor<4x8xf32>
// CHECK: hebb.pad %arg0 {high = array<i64: 1, 0>, interior = array<i64: 0, 0>, low = array<i64: 0, 0>, value = -1.000000e+00 : f64} : tensor<4x3xf32> -> tensor<5x3xf32>
func.func @pad(%x: tensor<4x3xf32>) -> (tensor<4x8xf32>, tensor<5x3xf32>) {
  %0 = hebb.pad %x {low = array<i64: 0, 1>, high = array<i64: 0, 2>, interior = array<i64: 0, 1>} : tensor<4x3xf32> -> tensor<4x8xf32>
  %1 = hebb.pad %x {low = array<i64: 0, 0>, high = array<i64: 1, 0>, interior = array<i64: 0, 0>, value = -1.0} : tensor<4x3xf32> -> tensor<5x3xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<5x3xf32>
}
