// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @slice
// CHECK: hebb.slice %arg0 {limit = array<i64: 4, 8>, start = array<i64: 0, 2>, stride = array<i64: 1, 2>} : tensor<4x8xf32> -> tensor<4x3xf32>
func.func @slice(%x: tensor<4x8xf32>) -> tensor<4x3xf32> {
  %0 = hebb.slice %x {start = array<i64: 0, 2>, limit = array<i64: 4, 8>, stride = array<i64: 1, 2>} : tensor<4x8xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
