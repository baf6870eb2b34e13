// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @gather
// CHECK: hebb.gather %arg0, %arg1 : tensor<100x16xf32>, tensor<4x7xi32> -> tensor<4x7x16xf32>
func.func @gather(%t: tensor<100x16xf32>, %i: tensor<4x7xi32>) -> tensor<4x7x16xf32> {
  %0 = hebb.gather %t, %i : tensor<100x16xf32>, tensor<4x7xi32> -> tensor<4x7x16xf32>
  return %0 : tensor<4x7x16xf32>
}

// Rows of any rank; a vector table gives one number per index.
// CHECK-LABEL: func @gather_rows
// CHECK: hebb.gather %arg0, %arg1 : tensor<10x2x3xf32>, tensor<5xi32> -> tensor<5x2x3xf32>
// CHECK: hebb.gather %arg2, %arg1 : tensor<10xf32>, tensor<5xi32> -> tensor<5xf32>
func.func @gather_rows(%t: tensor<10x2x3xf32>, %i: tensor<5xi32>, %v: tensor<10xf32>) -> (tensor<5x2x3xf32>, tensor<5xf32>) {
  %0 = hebb.gather %t, %i : tensor<10x2x3xf32>, tensor<5xi32> -> tensor<5x2x3xf32>
  %1 = hebb.gather %v, %i : tensor<10xf32>, tensor<5xi32> -> tensor<5xf32>
  return %0, %1 : tensor<5x2x3xf32>, tensor<5xf32>
}
