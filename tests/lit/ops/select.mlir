// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @select
// CHECK: hebb.select %arg0, %arg1, %arg2 : tensor<2x2xi1>, tensor<2x2xf32>
func.func @select(%c: tensor<2x2xi1>, %a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = hebb.select %c, %a, %b : tensor<2x2xi1>, tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
