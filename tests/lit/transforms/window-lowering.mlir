// RUN: hebb-opt %s -convert-hebb-to-linalg | FileCheck %s

// im2col: the image is inserted into a padded tensor filled with `value`,
// one parallel generic gathers [C, KH, KW, N, OH, OW] (input row
// oh * 2 + i, column ow + j * 2: strides 2x1, dilation 1x2), and the result
// collapses to columns.
// CHECK-DAG: #[[GATHER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d5 + d2 * 2)>
// CHECK-LABEL: func.func @im2col
// CHECK: %[[PAD:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x2x6x8xf32>)
// CHECK: %[[IN:.*]] = tensor.insert_slice %arg0 into %[[PAD]][0, 0, 1, 1] [2, 2, 5, 6] [1, 1, 1, 1]
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[GATHER]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[IN]] : tensor<2x2x6x8xf32>) outs(%{{.*}} : tensor<2x2x3x2x3x4xf32>)
// CHECK: tensor.collapse_shape %[[G]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<2x2x3x2x3x4xf32> into tensor<12x24xf32>
func.func @im2col(%x: tensor<2x2x5x6xf32>) -> tensor<12x24xf32> {
  %0 = hebb.im2col %x {kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>, value = 0.5} : tensor<2x2x5x6xf32> -> tensor<12x24xf32>
  return %0 : tensor<12x24xf32>
}

// col2im: the columns expand back to 6-D; a generic adds each into the
// zero-filled padded image at the position im2col read it from (tap and
// window loops are reductions); the padding is sliced away.
// CHECK-LABEL: func.func @col2im
// CHECK: %[[SIX:.*]] = tensor.expand_shape %arg0 {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<12x24xf32> into tensor<2x2x3x2x3x4xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x2x6x8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[GATHER]]], iterator_types = ["parallel", "reduction", "reduction", "parallel", "reduction", "reduction"]} ins(%[[SIX]] : tensor<2x2x3x2x3x4xf32>) outs(%[[ZERO]] : tensor<2x2x6x8xf32>)
// CHECK: arith.addf
// CHECK: tensor.extract_slice %[[SUM]][0, 0, 1, 1] [2, 2, 5, 6] [1, 1, 1, 1] : tensor<2x2x6x8xf32> to tensor<2x2x5x6xf32>
func.func @col2im(%c: tensor<12x24xf32>) -> tensor<2x2x5x6xf32> {
  %0 = hebb.col2im %c {shape = array<i64: 2, 2, 5, 6>, kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>} : tensor<12x24xf32> -> tensor<2x2x5x6xf32>
  return %0 : tensor<2x2x5x6xf32>
}
