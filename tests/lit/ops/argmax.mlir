// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @argmax
// CHECK: hebb.argmax %arg0 {axis = 1 : i64} : tensor<8x10xf32> -> tensor<8xi32>
// CHECK: hebb.argmax %arg0 {axis = 0 : i64, keepdims = true} : tensor<8x10xf32> -> tensor<1x10xi32>
func.func @argmax(%x: tensor<8x10xf32>) -> (tensor<8xi32>, tensor<1x10xi32>) {
  %0 = hebb.argmax %x {axis = 1} : tensor<8x10xf32> -> tensor<8xi32>
  %1 = hebb.argmax %x {axis = 0, keepdims = true} : tensor<8x10xf32> -> tensor<1x10xi32>
  return %0, %1 : tensor<8xi32>, tensor<1x10xi32>
}
