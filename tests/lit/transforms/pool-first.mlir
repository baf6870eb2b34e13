// RUN: hebb-opt %s -hebb-pool-first | FileCheck %s

// A convolution's relu moves below the max pooling; its bias add stays
// before it (rounding of the sums could tie values of a window).
// CHECK-LABEL: func.func @bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8x8xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[S:.*]] = hebb.broadcast_in_dim %[[B]] {broadcast_dimensions = array<i64: 1>} : tensor<3xf32> -> tensor<2x3x8x8xf32>
// CHECK: %[[A:.*]] = hebb.add %[[S]], %[[X]] : tensor<2x3x8x8xf32>
// CHECK: %[[P:.*]] = hebb.max_pool2d %[[A]] {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xf32>
// CHECK: %[[R:.*]] = hebb.relu %[[P]] : tensor<2x3x4x4xf32>
// CHECK: return %[[R]]
func.func @bias_relu(%x: tensor<2x3x8x8xf32>, %b: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %s = hebb.broadcast_in_dim %b {broadcast_dimensions = array<i64: 1>} : tensor<3xf32> -> tensor<2x3x8x8xf32>
  %a = hebb.add %s, %x : tensor<2x3x8x8xf32>
  %r = hebb.relu %a : tensor<2x3x8x8xf32>
  %p = hebb.max_pool2d %r {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xf32>
  return %p : tensor<2x3x4x4xf32>
}

// Padding and overlapping windows change nothing: relu alone moves too.
// CHECK-LABEL: func.func @relu_padded
// CHECK: hebb.max_pool2d %arg0 {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NEXT: hebb.relu
// CHECK-NEXT: return
func.func @relu_padded(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  %r = hebb.relu %x : tensor<1x2x7x7xf32>
  %p = hebb.max_pool2d %r {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x2x7x7xf32> -> tensor<1x2x4x4xf32>
  return %p : tensor<1x2x4x4xf32>
}

// A relu the function also returns stays where it is (moving it would
// compute it twice).
// CHECK-LABEL: func.func @relu_used_twice
// CHECK: %[[R:.*]] = hebb.relu %arg0 : tensor<1x1x4x4xf32>
// CHECK: hebb.max_pool2d %[[R]]
func.func @relu_used_twice(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>) {
  %r = hebb.relu %x : tensor<1x1x4x4xf32>
  %p = hebb.max_pool2d %r {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return %p, %r : tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>
}

// Average pooling does not commute with relu.
// CHECK-LABEL: func.func @average
// CHECK: %[[R:.*]] = hebb.relu %arg0
// CHECK: hebb.avg_pool2d %[[R]]
func.func @average(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %r = hebb.relu %x : tensor<1x1x4x4xf32>
  %p = hebb.avg_pool2d %r {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return %p : tensor<1x1x2x2xf32>
}
