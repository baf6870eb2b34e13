// RUN: hebb-opt %s -hebb-gemm-to-runtime | FileCheck %s

// The pass alone on bufferized IR: a matrix-product generic becomes a call
// to hebb_sgemm. The zero fill before it is absorbed (accumulate = 0); the
// transposed weight w[n, k] is passed with its strides swapped, no copy.
// CHECK-LABEL: func.func @dense(
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[X:.*]], %{{.*}}, %{{.*}}:2, %[[XS:.*]]:2 = memref.extract_strided_metadata %arg0
// CHECK-DAG: %[[W:.*]], %{{.*}}, %{{.*}}:2, %[[WS:.*]]:2 = memref.extract_strided_metadata %arg1
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: call @hebb_sgemm(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[XS]]#0, %[[XS]]#1, %{{.*}}, %[[WS]]#1, %[[WS]]#0, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
// CHECK: func.func private @hebb_sgemm(index, index, index, index, index, index, index, index, index, index, index, index, i32)
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @dense(%x: memref<8x16xf32>, %w: memref<4x16xf32>, %y: memref<8x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<8x4xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<8x16xf32>, memref<4x16xf32>) outs(%y : memref<8x4xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}
