// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @scatter_add
// CHECK: hebb.scatter_add %arg0, %arg1 {rows = 100 : i64} : tensor<4x7x16xf32>, tensor<4x7xi32> -> tensor<100x16xf32>
func.func @scatter_add(%u: tensor<4x7x16xf32>, %i: tensor<4x7xi32>) -> tensor<100x16xf32> {
  %0 = hebb.scatter_add %u, %i {rows = 100} : tensor<4x7x16xf32>, tensor<4x7xi32> -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}

// Scalars per index make a vector.
// CHECK-LABEL: func @scatter_add_scalars
// CHECK: hebb.scatter_add %arg0, %arg1 {rows = 3 : i64} : tensor<5xf32>, tensor<5xi32> -> tensor<3xf32>
func.func @scatter_add_scalars(%u: tensor<5xf32>, %i: tensor<5xi32>) -> tensor<3xf32> {
  %0 = hebb.scatter_add %u, %i {rows = 3} : tensor<5xf32>, tensor<5xi32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
