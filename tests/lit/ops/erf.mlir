// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @erf
// CHECK: %[[R:.*]] = hebb.erf %arg0 : tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @erf(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = hebb.erf %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
