// RUN: hebb-opt %s -hebb-autodiff -canonicalize -cse -split-input-file | FileCheck %s

// d/dx sum(x * x) = 2 x: the fan-out of %x into both mul operands is added.
// CHECK-LABEL: func @grad(%arg0: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
// CHECK: %[[SQ:.*]] = hebb.mul %arg0, %arg0
// CHECK: %[[L:.*]] = hebb.reduce_sum %[[SQ]]
// CHECK: %[[G:.*]] = hebb.add %arg0, %arg0
// CHECK: return %[[L]], %[[G]]
func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
  %0 = hebb.mul %x, %x : tensor<3xf32>
  %1 = hebb.reduce_sum %0 {axes = array<i64: 0>} : tensor<3xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

// A dense layer: dW = g^T x (matmul with transpose_lhs), db sums the
// broadcast back over the batch, dx = g W.
// CHECK-LABEL: func @grad(%arg0: tensor<4x3xf32>, %arg1: tensor<2x3xf32>, %arg2: tensor<2xf32>)
// CHECK-DAG: hebb.reduce_sum %{{.*}} {axes = array<i64: 0>} : tensor<4x2xf32> -> tensor<2xf32>
// CHECK-DAG: hebb.matmul %{{.*}}, %arg1 : tensor<4x2xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
// CHECK-DAG: hebb.matmul %{{.*}}, %arg0 {transpose_lhs = true} : tensor<4x2xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32>, %b: tensor<2xf32>) -> tensor<f32> {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %bb = hebb.broadcast_in_dim %b {broadcast_dimensions = array<i64: 1>} : tensor<2xf32> -> tensor<4x2xf32>
  %s = hebb.add %z, %bb : tensor<4x2xf32>
  %l = hebb.reduce_mean %s {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Index arguments get no gradient; an unused f32 argument gets zeros.
// CHECK-LABEL: func @grad(%arg0: tensor<2x3xf32>, %arg1: tensor<2xi32>, %arg2: tensor<5xf32>) -> (tensor<f32>, tensor<2x3xf32>, tensor<5xf32>)
// CHECK: %[[Z:.*]] = hebb.constant dense<0.000000e+00> : tensor<5xf32>
// CHECK: hebb.one_hot %arg1
// CHECK: return %{{.*}}, %{{.*}}, %[[Z]]
func.func @loss(%logits: tensor<2x3xf32>, %labels: tensor<2xi32>, %unused: tensor<5xf32>) -> tensor<f32> {
  %lp = hebb.log_softmax %logits {axis = 1} : tensor<2x3xf32>
  %oh = hebb.one_hot %labels {depth = 3} : tensor<2xi32> -> tensor<2x3xf32>
  %p = hebb.mul %oh, %lp : tensor<2x3xf32>
  %s = hebb.reduce_sum %p {axes = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<f32>
  %l = hebb.neg %s : tensor<f32>
  return %l : tensor<f32>
}
