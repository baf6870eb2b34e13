// RUN: hebb-opt %s -hebb-unshare-inits | FileCheck %s
// RUN: hebb-opt %s -hebb-unshare-inits -empty-tensor-to-alloc-tensor "-one-shot-bufferize=bufferize-function-boundaries allow-return-allocs function-boundary-type-conversion=identity-layout-map" | FileCheck %s --check-prefix=BUF

// CSE left one tensor.empty as the init of two elementwise ops and one
// zero fill as the init of two matmuls. Each user gets its own init right
// before it, and the shared ones are gone.
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @shared(
func.func @shared(%a: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E1:.*]] = tensor.empty() : tensor<4x8xf32>
  // CHECK-NEXT: %[[T1:.*]] = linalg.generic {{.*}} outs(%[[E1]] : tensor<4x8xf32>)
  %t1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = math.tanh %x : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  // CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x8xf32>
  // CHECK-NEXT: %[[F2:.*]] = linalg.fill {{.*}} outs(%[[E2]] : tensor<4x8xf32>)
  // CHECK-NEXT: linalg.matmul ins(%[[T1]], {{.*}}) outs(%[[F2]] : tensor<4x8xf32>)
  %m1 = linalg.matmul ins(%t1, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[E3:.*]] = tensor.empty() : tensor<4x8xf32>
  // CHECK-NEXT: linalg.generic {{.*}} outs(%[[E3]] : tensor<4x8xf32>)
  %t2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m1 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = math.tanh %x : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  // CHECK: %[[E4:.*]] = tensor.empty() : tensor<4x8xf32>
  // CHECK-NEXT: %[[F4:.*]] = linalg.fill {{.*}} outs(%[[E4]] : tensor<4x8xf32>)
  // CHECK-NEXT: linalg.matmul {{.*}} outs(%[[F4]] : tensor<4x8xf32>)
  %m2 = linalg.matmul ins(%t2, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK-NOT: tensor.empty
  // CHECK-NOT: linalg.fill
  // CHECK: return
  return %m1, %m2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// After bufferization: four buffers, each written in place, and no copy of a
// shared zero tensor.
// BUF-LABEL: func.func @shared(
// BUF-COUNT-4: memref.alloc()
// BUF-NOT: memref.copy
// BUF: return
