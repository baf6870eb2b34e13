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

// An operand that is a reshape of a planned temporary (memref.view of the
// scratch at byte 512): its address is the scratch's plus the view's shift,
// not the scratch's own (MLIR 16 resolves the aligned pointer of a reshaped
// view to the view's source).
// CHECK-LABEL: func.func @reshaped_view(
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant 512 : index
// CHECK-DAG: %[[SCRATCH:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK: arith.addi %[[SCRATCH]], %[[SHIFT]] : index
// CHECK: call @hebb_sgemm
func.func @reshaped_view(%x: memref<8x16xf32>, %y: memref<8x4xf32>, %scratch: memref<1024xi8>) {
  %c512 = arith.constant 512 : index
  %v = memref.view %scratch[%c512][] : memref<1024xi8> to memref<4x4x4xf32>
  %w = memref.collapse_shape %v [[0], [1, 2]] : memref<4x4x4xf32> into memref<4x16xf32>
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

// One declaration of the kernel, after the functions.
// CHECK: func.func private @hebb_sgemm(index, index, index, index, index, index, index, index, index, index, index, index, i32)
