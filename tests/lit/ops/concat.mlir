// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @concat
// CHECK: hebb.concat %arg0, %arg1 {axis = 1 : i64} : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<4x8xf32>
func.func @concat(%a: tensor<4x3xf32>, %b: tensor<4x5xf32>) -> tensor<4x8xf32> {
  %0 = hebb.concat %a, %b {axis = 1} : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
