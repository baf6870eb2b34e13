// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @neg
// CHECK: %[[R:.*]] = hebb.neg %arg0 : tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @neg(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = hebb.neg %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func @neg_i32
// CHECK: hebb.neg %{{.*}} : tensor<3xi32>
func.func @neg_i32(%x: tensor<3xi32>) -> tensor<3xi32> {
  %0 = hebb.neg %x : tensor<3xi32>
  return %0 : tensor<3xi32>
}
