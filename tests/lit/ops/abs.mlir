// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @abs
// CHECK: %[[R:.*]] = hebb.abs %arg0 : tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @abs(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = hebb.abs %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func @abs_i32
// CHECK: hebb.abs %{{.*}} : tensor<3xi32>
func.func @abs_i32(%x: tensor<3xi32>) -> tensor<3xi32> {
  %0 = hebb.abs %x : tensor<3xi32>
  return %0 : tensor<3xi32>
}
