// RUN: hebb-opt %s -convert-hebb-to-linalg -canonicalize | FileCheck %s

// gather: one parallel generic over the result; each element is read from
// the table at a clamped row and replaced by zero out of range.
// CHECK-DAG: #[[IDS:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[UPD:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[SIDS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG: #[[SOUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic {indexing_maps = [#[[IDS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<3x5xi32>)
// CHECK: %[[GE:.*]] = arith.cmpi sge, %[[K:.*]], %c0_i32
// CHECK: %[[LT:.*]] = arith.cmpi slt, %[[K]], %c6_i32
// CHECK: %[[OK:.*]] = arith.andi %[[GE]], %[[LT]]
// CHECK: %[[ROW:.*]] = arith.select %[[OK]], %[[K]], %c0_i32
// CHECK: %[[R:.*]] = arith.index_cast %[[ROW]]
// CHECK: %[[D:.*]] = linalg.index 2
// CHECK: %[[V:.*]] = tensor.extract %arg0[%[[R]], %[[D]]] : tensor<6x4xf32>
// CHECK: arith.select %[[OK]], %[[V]], %cst
func.func @gather(%t: tensor<6x4xf32>, %i: tensor<3x5xi32>) -> tensor<3x5x4xf32> {
  %0 = hebb.gather %t, %i : tensor<6x4xf32>, tensor<3x5xi32> -> tensor<3x5x4xf32>
  return %0 : tensor<3x5x4xf32>
}

// scatter_add: loops (row, index positions, row elements), the index
// positions a reduction in row-major order; an update joins the sum where
// its index names the row.
// CHECK-LABEL: func.func @scatter_add
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[UPD]], #[[SIDS]], #[[SOUT]]], iterator_types = ["parallel", "reduction", "reduction", "parallel"]} ins(%arg0, %arg1 : tensor<3x5x4xf32>, tensor<3x5xi32>) outs(%{{.*}} : tensor<6x4xf32>)
// CHECK: ^bb0(%[[U:.*]]: f32, %[[K:.*]]: i32, %[[ACC:.*]]: f32):
// CHECK: %[[R:.*]] = linalg.index 0
// CHECK: %[[RI:.*]] = arith.index_cast %[[R]] : index to i32
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[K]], %[[RI]]
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[U]]
// CHECK: arith.select %[[HIT]], %[[SUM]], %[[ACC]]
func.func @scatter_add(%u: tensor<3x5x4xf32>, %i: tensor<3x5xi32>) -> tensor<6x4xf32> {
  %0 = hebb.scatter_add %u, %i {rows = 6} : tensor<3x5x4xf32>, tensor<3x5xi32> -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}
