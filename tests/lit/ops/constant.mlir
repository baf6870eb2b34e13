// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @constant
// CHECK: hebb.constant dense<{{\[\[}}3.000000e+00, -2.000000e+00]]> : tensor<1x2xf32>
// CHECK: hebb.constant dense<7> : tensor<4xi32>
// CHECK: hebb.constant dense<true> : tensor<2xi1>
func.func @constant() -> (tensor<1x2xf32>, tensor<4xi32>, tensor<2xi1>) {
  %0 = hebb.constant dense<[[3.0, -2.0]]> : tensor<1x2xf32>
  %1 = hebb.constant dense<7> : tensor<4xi32>
  %2 = hebb.constant dense<true> : tensor<2xi1>
  return %0, %1, %2 : tensor<1x2xf32>, tensor<4xi32>, tensor<2xi1>
}
