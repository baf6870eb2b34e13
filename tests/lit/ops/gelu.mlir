// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// The exact form is the default (and is not printed); tanh is kept.
// CHECK-LABEL: func @gelu
// CHECK: %[[E:.*]] = hebb.gelu %arg0 : tensor<2x3xf32>
// CHECK: %[[T:.*]] = hebb.gelu %arg0 {approximate = "tanh"} : tensor<2x3xf32>
// CHECK: return %[[E]], %[[T]]
func.func @gelu(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = hebb.gelu %x {approximate = "none"} : tensor<2x3xf32>
  %1 = hebb.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}
