// RUN: hebb-opt %s -hebb-decompose | FileCheck %s
// RUN: hebb-opt %s -hebb-decompose -cse | FileCheck %s --check-prefix=CSE

// A convolution is im2col and one matrix product, reshaped and transposed
// from [O, N OH OW] to NCHW.
// CHECK-LABEL: func.func @conv
// CHECK: %[[COLS:.*]] = hebb.im2col %arg0 {dilation = array<i64: 1, 1>, kernel = array<i64: 5, 5>, padding = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : tensor<4x1x28x28xf32> -> tensor<25x3136xf32>
// CHECK: %[[W:.*]] = hebb.reshape %arg1 : tensor<6x1x5x5xf32> -> tensor<6x25xf32>
// CHECK: %[[P:.*]] = hebb.matmul %[[W]], %[[COLS]] : tensor<6x25xf32>, tensor<25x3136xf32> -> tensor<6x3136xf32>
// CHECK: %[[R:.*]] = hebb.reshape %[[P]] : tensor<6x3136xf32> -> tensor<6x4x28x28xf32>
// CHECK: hebb.transpose %[[R]] {permutation = array<i64: 1, 0, 2, 3>} : tensor<6x4x28x28xf32> -> tensor<4x6x28x28xf32>
// CHECK-NOT: hebb.conv2d
func.func @conv(%x: tensor<4x1x28x28xf32>, %w: tensor<6x1x5x5xf32>) -> tensor<4x6x28x28xf32> {
  %0 = hebb.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 1, 1>} : tensor<4x1x28x28xf32>, tensor<6x1x5x5xf32> -> tensor<4x6x28x28xf32>
  return %0 : tensor<4x6x28x28xf32>
}

// Two groups: each multiplies its row blocks of the weight and the columns,
// and the products are stacked.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[COLS:.*]] = hebb.im2col %arg0 {{.*}} -> tensor<36x56xf32>
// CHECK: %[[W:.*]] = hebb.reshape %arg1 : tensor<6x2x3x3xf32> -> tensor<6x18xf32>
// CHECK-DAG: %[[W0:.*]] = hebb.slice %[[W]] {limit = array<i64: 3, 18>, start = array<i64: 0, 0>, stride = array<i64: 1, 1>}
// CHECK-DAG: %[[C0:.*]] = hebb.slice %[[COLS]] {limit = array<i64: 18, 56>, start = array<i64: 0, 0>, stride = array<i64: 1, 1>}
// CHECK: %[[P0:.*]] = hebb.matmul %[[W0]], %[[C0]] : tensor<3x18xf32>, tensor<18x56xf32> -> tensor<3x56xf32>
// CHECK-DAG: %[[W1:.*]] = hebb.slice %[[W]] {limit = array<i64: 6, 18>, start = array<i64: 3, 0>, stride = array<i64: 1, 1>}
// CHECK-DAG: %[[C1:.*]] = hebb.slice %[[COLS]] {limit = array<i64: 36, 56>, start = array<i64: 18, 0>, stride = array<i64: 1, 1>}
// CHECK: %[[P1:.*]] = hebb.matmul %[[W1]], %[[C1]]
// CHECK: hebb.concat %[[P0]], %[[P1]] {axis = 0 : i64}
func.func @grouped(%x: tensor<2x4x9x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x4x7xf32> {
  %0 = hebb.conv2d %x, %w {strides = array<i64: 2, 1>, padding = array<i64: 1, 2, 1, 0>, dilation = array<i64: 2, 1>, groups = 2} : tensor<2x4x9x8xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x4x7xf32>
  return %0 : tensor<2x6x4x7xf32>
}

// Pooling: every channel an image of its own, im2col (-inf padding for the
// maximum, zeros for the mean) and a reduction down the columns.
// CHECK-LABEL: func.func @pools
// CHECK: %[[X:.*]] = hebb.reshape %arg0 : tensor<2x3x7x7xf32> -> tensor<6x1x7x7xf32>
// CHECK: %[[MC:.*]] = hebb.im2col %[[X]] {{{.*}}value = 0xFFF0000000000000 : f64} : tensor<6x1x7x7xf32> -> tensor<6x96xf32>
// CHECK: %[[M:.*]] = hebb.reduce_max %[[MC]] {axes = array<i64: 0>} : tensor<6x96xf32> -> tensor<96xf32>
// CHECK: hebb.reshape %[[M]] : tensor<96xf32> -> tensor<2x3x4x4xf32>
// CHECK: %[[AC:.*]] = hebb.im2col %{{.*}} {dilation = array<i64: 1, 1>, kernel = array<i64: 3, 2>, padding = array<i64: 1, 1, 1, 0>, strides = array<i64: 2, 2>} : tensor<6x1x7x7xf32> -> tensor<6x96xf32>
// CHECK: hebb.reduce_mean %[[AC]] {axes = array<i64: 0>} : tensor<6x96xf32> -> tensor<96xf32>
func.func @pools(%x: tensor<2x3x7x7xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>) {
  %0 = hebb.max_pool2d %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 0>} : tensor<2x3x7x7xf32> -> tensor<2x3x4x4xf32>
  %1 = hebb.avg_pool2d %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 0>} : tensor<2x3x7x7xf32> -> tensor<2x3x4x4xf32>
  return %0, %1 : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
}

// The forward product and the weight gradient read the same columns: after
// decomposition CSE builds them once.
// CSE-LABEL: func.func @shared_columns
// CSE-COUNT-1: hebb.im2col
// CSE-NOT: hebb.im2col
func.func @shared_columns(%x: tensor<4x1x28x28xf32>, %w: tensor<6x1x5x5xf32>, %g: tensor<6x3136xf32>) -> (tensor<4x6x28x28xf32>, tensor<6x25xf32>) {
  %0 = hebb.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 1, 1>} : tensor<4x1x28x28xf32>, tensor<6x1x5x5xf32> -> tensor<4x6x28x28xf32>
  %c = hebb.im2col %x {kernel = array<i64: 5, 5>, strides = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 1, 1>} : tensor<4x1x28x28xf32> -> tensor<25x3136xf32>
  %dw = hebb.matmul %g, %c {transpose_rhs = true} : tensor<6x3136xf32>, tensor<25x3136xf32> -> tensor<6x25xf32>
  return %0, %dw : tensor<4x6x28x28xf32>, tensor<6x25xf32>
}
