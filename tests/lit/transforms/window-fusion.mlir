// RUN: hebb-opt %s -convert-hebb-to-linalg -canonicalize | FileCheck %s

// Max pooling as the decomposition writes it: the reduction down the
// columns reads the padded image directly (windows outer, taps inner, the
// taps' extents from a 2x2 window operand), and the im2col is left dead.
// CHECK-DAG: #[[IMG:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1 * 2 + d4, d2 * 2 + d5)>
// CHECK-DAG: #[[TAPS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @pool_max
// CHECK-NOT: "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"
// CHECK: linalg.generic {indexing_maps = [#[[IMG]], #[[TAPS]], #[[WIN]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<6x1x8x6xf32>, tensor<2x2xf32>)
// CHECK: arith.maxf
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @pool_max(%x: tensor<6x1x8x6xf32>) -> tensor<72xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0xFFF0000000000000 : f64} : tensor<6x1x8x6xf32> -> tensor<4x72xf32>
  %m = hebb.reduce_max %c {axes = array<i64: 0>} : tensor<4x72xf32> -> tensor<72xf32>
  return %m : tensor<72xf32>
}

// Training takes the maxima and their taps: one generic gives both.
// CHECK-LABEL: func.func @pool_max_and_argmax
// CHECK-NOT: "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"
// CHECK: linalg.generic {indexing_maps = [#[[IMG]], #[[TAPS]], #[[WIN]], #[[WIN]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: attrs = {hebb.window = "first_max"}
// CHECK: arith.cmpf ogt
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @pool_max_and_argmax(%x: tensor<6x1x8x6xf32>) -> (tensor<72xf32>, tensor<72xi32>) {
  %c = hebb.im2col %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0xFFF0000000000000 : f64} : tensor<6x1x8x6xf32> -> tensor<4x72xf32>
  %m = hebb.reduce_max %c {axes = array<i64: 0>} : tensor<4x72xf32> -> tensor<72xf32>
  %i = hebb.argmax %c {axis = 0 : i64} : tensor<4x72xf32> -> tensor<72xi32>
  return %m, %i : tensor<72xf32>, tensor<72xi32>
}

// Its gradient: the one-hot rows times the gradient, scattered back, is
// one generic over the windows adding (idx == tap ? 1 : 0) * g at each tap.
// CHECK-LABEL: func.func @pool_gradient
// CHECK: linalg.generic {indexing_maps = [#[[WIN]], #[[WIN]], #[[TAPS]], #[[IMG]]], iterator_types = ["parallel", "reduction", "reduction", "parallel", "reduction", "reduction"]}
// CHECK-SAME: attrs = {hebb.window = "max_scatter"}
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @pool_gradient(%idx: tensor<72xi32>, %g: tensor<72xf32>) -> tensor<6x1x8x6xf32> {
  %hot = hebb.one_hot %idx {depth = 4 : i64} : tensor<72xi32> -> tensor<72x4xf32>
  %t = hebb.transpose %hot {permutation = array<i64: 1, 0>} : tensor<72x4xf32> -> tensor<4x72xf32>
  %b = hebb.broadcast_in_dim %g {broadcast_dimensions = array<i64: 1>} : tensor<72xf32> -> tensor<4x72xf32>
  %p = hebb.mul %t, %b : tensor<4x72xf32>
  %r = hebb.col2im %p {shape = array<i64: 6, 1, 8, 6>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : tensor<4x72xf32> -> tensor<6x1x8x6xf32>
  return %r : tensor<6x1x8x6xf32>
}

// Columns used by something else than a reduction down axis 0 are still
// gathered.
// CHECK-LABEL: func.func @columns_kept
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]
func.func @columns_kept(%x: tensor<6x1x8x6xf32>) -> tensor<4xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0.0} : tensor<6x1x8x6xf32> -> tensor<4x72xf32>
  %s = hebb.reduce_max %c {axes = array<i64: 1>} : tensor<4x72xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}
