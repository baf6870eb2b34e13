// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @softmax
// CHECK: hebb.softmax %arg0 {axis = 1 : i64} : tensor<8x10xf32>
// CHECK: hebb.softmax %arg0 {axis = 0 : i64} : tensor<8x10xf32>
func.func @softmax(%x: tensor<8x10xf32>) -> (tensor<8x10xf32>, tensor<8x10xf32>) {
  %0 = hebb.softmax %x {axis = 1} : tensor<8x10xf32>
  %1 = hebb.softmax %x {axis = 0} : tensor<8x10xf32>
  return %0, %1 : tensor<8x10xf32>, tensor<8x10xf32>
}
