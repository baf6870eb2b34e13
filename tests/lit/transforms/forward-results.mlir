// RUN: hebb-opt %s -hebb-to-linalg -empty-tensor-to-alloc-tensor "-one-shot-bufferize=bufferize-function-boundaries allow-return-allocs function-boundary-type-conversion=identity-layout-map" -buffer-results-to-out-params -buffer-deallocation -hebb-forward-results | FileCheck %s

// Each result is computed straight into its out-parameter: no allocation,
// no final copy. (The relu, also a result, joins the exp that reads it:
// one loop writes both.)
// CHECK-LABEL: func.func @two_results(
// CHECK-SAME: %[[X:.*]]: memref<4x8xf32>, %[[R0:.*]]: memref<4x8xf32>, %[[R1:.*]]: memref<4x8xf32>)
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<4x8xf32>) outs(%[[R0]], %[[R1]] : memref<4x8xf32>, memref<4x8xf32>)
// CHECK: linalg.yield %{{.*}}, %{{.*}} : f32, f32
// CHECK-NOT: memref.copy
// CHECK: return
func.func @two_results(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = hebb.relu %x : tensor<4x8xf32>
  %1 = hebb.exp %0 : tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}
