// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @matmul
// CHECK: hebb.matmul %arg0, %arg1 : tensor<4x3xf32>, tensor<3x5xf32> -> tensor<4x5xf32>
// CHECK: hebb.matmul %arg0, %arg2 {transpose_rhs = true} : tensor<4x3xf32>, tensor<5x3xf32> -> tensor<4x5xf32>
// CHECK: hebb.matmul %arg3, %arg1 {transpose_lhs = true} : tensor<3x4xf32>, tensor<3x5xf32> -> tensor<4x5xf32>
// CHECK: hebb.matmul %arg3, %arg2 {transpose_lhs = true, transpose_rhs = true} : tensor<3x4xf32>, tensor<5x3xf32> -> tensor<4x5xf32>
func.func @matmul(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>, %bt: tensor<5x3xf32>, %at: tensor<3x4xf32>) -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  %0 = hebb.matmul %a, %b : tensor<4x3xf32>, tensor<3x5xf32> -> tensor<4x5xf32>
  %1 = hebb.matmul %a, %bt {transpose_rhs = true} : tensor<4x3xf32>, tensor<5x3xf32> -> tensor<4x5xf32>
  %2 = hebb.matmul %at, %b {transpose_lhs = true} : tensor<3x4xf32>, tensor<3x5xf32> -> tensor<4x5xf32>
  %3 = hebb.matmul %at, %bt {transpose_lhs = true, transpose_rhs = true} : tensor<3x4xf32>, tensor<5x3xf32> -> tensor<4x5xf32>
  return %0, %1, %2, %3 : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// Batch dimensions in front; the transposes swap the last two.
// CHECK-LABEL: func @batched
// CHECK: hebb.matmul %arg0, %arg1 {transpose_rhs = true} : tensor<2x6x4x3xf32>, tensor<2x6x5x3xf32> -> tensor<2x6x4x5xf32>
// CHECK: hebb.matmul %arg2, %arg1 {transpose_lhs = true} : tensor<2x6x5x4xf32>, tensor<2x6x5x3xf32>
func.func @batched(%q: tensor<2x6x4x3xf32>, %k: tensor<2x6x5x3xf32>, %p: tensor<2x6x5x4xf32>) -> (tensor<2x6x4x5xf32>, tensor<2x6x4x3xf32>) {
  %0 = hebb.matmul %q, %k {transpose_rhs = true} : tensor<2x6x4x3xf32>, tensor<2x6x5x3xf32> -> tensor<2x6x4x5xf32>
  %1 = "hebb.matmul"(%p, %k) {transpose_lhs = true} : (tensor<2x6x5x4xf32>, tensor<2x6x5x3xf32>) -> tensor<2x6x4x3xf32>
  return %0, %1 : tensor<2x6x4x5xf32>, tensor<2x6x4x3xf32>
}
