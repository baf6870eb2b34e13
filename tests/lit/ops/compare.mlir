// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @compare
// CHECK: hebb.compare eq, %arg0, %arg1 : tensor<4xf32>
// CHECK: hebb.compare ne, %arg0, %arg1 : tensor<4xf32>
// CHECK: hebb.compare lt, %arg0, %arg1 : tensor<4xf32>
// CHECK: hebb.compare le, %arg0, %arg1 : tensor<4xf32>
// CHECK: hebb.compare gt, %arg0, %arg1 : tensor<4xf32>
// CHECK: hebb.compare ge, %arg0, %arg1 : tensor<4xf32>
// CHECK: hebb.compare lt, %arg2, %arg2 : tensor<4xi32>
func.func @compare(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = hebb.compare eq, %x, %y : tensor<4xf32>
  %1 = hebb.compare ne, %x, %y : tensor<4xf32>
  %2 = hebb.compare lt, %x, %y : tensor<4xf32>
  %3 = hebb.compare le, %x, %y : tensor<4xf32>
  %4 = hebb.compare gt, %x, %y : tensor<4xf32>
  %5 = hebb.compare ge, %x, %y : tensor<4xf32>
  %6 = hebb.compare lt, %i, %i : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}
