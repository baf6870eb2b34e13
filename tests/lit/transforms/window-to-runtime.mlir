// RUN: hebb-opt %s -hebb-window-to-runtime -cse | FileCheck %s

// The gather of a padded 2x3x9x8 image into columns of a 2x3 window with
// strides (2, 1) and dilations (1, 2): (image, n, c, h, w, kh, kw, sh, sw,
// dh, dw, oh, ow, columns).
#gather_in = affine_map<(c, i, j, n, oh, ow) -> (n, c, oh * 2 + i, ow + j * 2)>
#cols = affine_map<(c, i, j, n, oh, ow) -> (c, i, j, n, oh, ow)>
// CHECK-LABEL: func.func @gather
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C9:.*]] = arith.constant 9 : index
// CHECK: call @hebb_im2col(%{{.*}}, %[[C2]], %[[C3]], %[[C9]], %[[C8]], %[[C2]], %[[C3]], %[[C2]], %[[C1]], %[[C1]], %[[C2]], %[[C4]], %[[C4]], %{{.*}})
// CHECK-NOT: linalg.generic
func.func @gather(%img: memref<2x3x9x8xf32>, %out: memref<3x2x3x2x4x4xf32>) {
  linalg.generic {indexing_maps = [#gather_in, #cols], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%img : memref<2x3x9x8xf32>) outs(%out : memref<3x2x3x2x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  return
}

// The adjoint, after a zero fill of the image: the fill is folded into the
// call (accumulate = 0).
// CHECK-LABEL: func.func @scatter
// CHECK-NOT: linalg.fill
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: call @hebb_col2im(%{{.*}}, %{{.*}}, %[[ZERO]])
// CHECK-NOT: linalg.generic
func.func @scatter(%cols: memref<3x2x3x2x4x4xf32>, %img: memref<2x3x9x8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%img : memref<2x3x9x8xf32>)
  linalg.generic {indexing_maps = [#cols, #gather_in], iterator_types = ["parallel", "reduction", "reduction", "parallel", "reduction", "reduction"]} ins(%cols : memref<3x2x3x2x4x4xf32>) outs(%img : memref<2x3x9x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %s = arith.addf %o, %in : f32
    linalg.yield %s : f32
  }
  return
}

// Without a fill right before it, the scatter adds to the image.
// CHECK-LABEL: func.func @scatter_accumulates
// CHECK: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: call @hebb_col2im(%{{.*}}, %{{.*}}, %[[ONE]])
func.func @scatter_accumulates(%cols: memref<3x2x3x2x4x4xf32>, %img: memref<2x3x9x8xf32>) {
  linalg.generic {indexing_maps = [#cols, #gather_in], iterator_types = ["parallel", "reduction", "reduction", "parallel", "reduction", "reduction"]} ins(%cols : memref<3x2x3x2x4x4xf32>) outs(%img : memref<2x3x9x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %s = arith.addf %in, %o : f32
    linalg.yield %s : f32
  }
  return
}

// Not windows: the image read without the tap (ow alone), a body that
// computes, a strided column buffer. All stay loop nests.
#no_tap = affine_map<(c, i, j, n, oh, ow) -> (n, c, oh * 2 + i, ow)>
// CHECK-LABEL: func.func @not_windows
// CHECK-NOT: call
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: call
func.func @not_windows(%img: memref<2x3x9x8xf32>, %narrow: memref<2x3x9x4xf32>, %out: memref<3x2x3x2x4x4xf32>,
                       %strided: memref<3x2x3x2x4x4xf32, strided<[2304, 768, 256, 64, 8, 2]>>) {
  linalg.generic {indexing_maps = [#no_tap, #cols], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%narrow : memref<2x3x9x4xf32>) outs(%out : memref<3x2x3x2x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#gather_in, #cols], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%img : memref<2x3x9x8xf32>) outs(%out : memref<3x2x3x2x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [#gather_in, #cols], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%img : memref<2x3x9x8xf32>) outs(%strided : memref<3x2x3x2x4x4xf32, strided<[2304, 768, 256, 64, 8, 2]>>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  return
}
