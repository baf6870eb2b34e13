// RUN: hebb-opt %s -convert-hebb-to-linalg -canonicalize | FileCheck %s

// A convolution with few taps (2 channels of 3x3 = 18) as the
// decomposition writes it: W · im2col(x) and g · im2col(x)ᵀ read the
// padded image directly, and the columns are left dead.
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d5, d6)>
// CHECK-DAG: #[[IMG:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d2 * 2 + d5, d3 + d6 * 2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[GIMG:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d5 * 2 + d2, d6 + d3 * 2)>
// CHECK-LABEL: func.func @forward
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 1, 1] [2, 2, 9, 12] [1, 1, 1, 1] : tensor<2x2x9x12xf32> into tensor<2x2x11x14xf32>
// CHECK: linalg.generic {indexing_maps = [#[[W]], #[[IMG]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<4x2x3x3xf32>, tensor<2x2x11x14xf32>) outs(%{{.*}} : tensor<4x2x5x10xf32>) attrs = {hebb.window = "conv"}
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @forward(%x: tensor<2x2x9x12xf32>, %w: tensor<4x18xf32>) -> tensor<4x100xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 2>, value = 0.0 : f64} : tensor<2x2x9x12xf32> -> tensor<18x100xf32>
  %y = hebb.matmul %w, %c : tensor<4x18xf32>, tensor<18x100xf32> -> tensor<4x100xf32>
  return %y : tensor<4x100xf32>
}

// CHECK-LABEL: func.func @filter_gradient
// CHECK: linalg.generic {indexing_maps = [#[[W]], #[[GIMG]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<4x2x5x10xf32>, tensor<2x2x11x14xf32>) outs(%{{.*}} : tensor<4x2x3x3xf32>) attrs = {hebb.window = "conv_filter_grad"}
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @filter_gradient(%x: tensor<2x2x9x12xf32>, %g: tensor<4x100xf32>) -> tensor<4x18xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 2>, value = 0.0 : f64} : tensor<2x2x9x12xf32> -> tensor<18x100xf32>
  %dw = hebb.matmul %g, %c {transpose_rhs = true} : tensor<4x100xf32>, tensor<18x100xf32> -> tensor<4x18xf32>
  return %dw : tensor<4x18xf32>
}

// Through the columns: many taps (4 channels of 3x3 = 36) for few output
// channels (2; 16 would read the image, see below), a horizontal
// stride of 2, fewer than 8 windows a row, or the columns on the left of
// the product.
// CHECK-LABEL: func.func @many_taps
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-NOT: hebb.window
func.func @many_taps(%x: tensor<1x4x10x10xf32>, %w: tensor<2x36xf32>) -> tensor<2x64xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0.0 : f64} : tensor<1x4x10x10xf32> -> tensor<36x64xf32>
  %y = hebb.matmul %w, %c : tensor<2x36xf32>, tensor<36x64xf32> -> tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}

// CHECK-LABEL: func.func @strided
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-NOT: hebb.window
func.func @strided(%x: tensor<1x1x20x40xf32>, %w: tensor<2x9xf32>) -> tensor<2x342xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 2>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0.0 : f64} : tensor<1x1x20x40xf32> -> tensor<9x342xf32>
  %y = hebb.matmul %w, %c : tensor<2x9xf32>, tensor<9x342xf32> -> tensor<2x342xf32>
  return %y : tensor<2x342xf32>
}

// CHECK-LABEL: func.func @short_rows
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-NOT: hebb.window
func.func @short_rows(%x: tensor<1x1x9x9xf32>, %w: tensor<2x9xf32>) -> tensor<2x49xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0.0 : f64} : tensor<1x1x9x9xf32> -> tensor<9x49xf32>
  %y = hebb.matmul %w, %c : tensor<2x9xf32>, tensor<9x49xf32> -> tensor<2x49xf32>
  return %y : tensor<2x49xf32>
}

// CHECK-LABEL: func.func @transposed_columns
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-NOT: hebb.window
func.func @transposed_columns(%x: tensor<1x1x10x10xf32>, %g: tensor<64x2xf32>) -> tensor<9x2xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0.0 : f64} : tensor<1x1x10x10xf32> -> tensor<9x64xf32>
  %y = hebb.matmul %c, %g : tensor<9x64xf32>, tensor<64x2xf32> -> tensor<9x2xf32>
  return %y : tensor<9x2xf32>
}

// Many taps for 16 output channels (a vector of them) read the image.
// CHECK-LABEL: func.func @many_channels
// CHECK: attrs = {hebb.window = "conv"}
func.func @many_channels(%x: tensor<1x4x10x10xf32>, %w: tensor<16x36xf32>) -> tensor<16x64xf32> {
  %c = hebb.im2col %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, value = 0.0 : f64} : tensor<1x4x10x10xf32> -> tensor<36x64xf32>
  %y = hebb.matmul %w, %c : tensor<16x36xf32>, tensor<36x64xf32> -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}
