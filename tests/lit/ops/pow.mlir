// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @pow
// CHECK: %[[R:.*]] = hebb.pow %arg0, %arg1 : tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @pow(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = hebb.pow %x, %y : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
