// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @mul
// CHECK: %[[R:.*]] = hebb.mul %arg0, %arg1 : tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @mul(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = hebb.mul %x, %y : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func @mul_i32
// CHECK: hebb.mul %arg0, %arg1 : tensor<3xi32>
func.func @mul_i32(%x: tensor<3xi32>, %y: tensor<3xi32>) -> tensor<3xi32> {
  %0 = hebb.mul %x, %y : tensor<3xi32>
  return %0 : tensor<3xi32>
}
