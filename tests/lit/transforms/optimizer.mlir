// RUN: hebb-opt %s -hebb-optimizer -canonicalize -cse | FileCheck %s

// SGD with momentum 0.9: buf = 0.9 buf + g; p = p - lr buf. One state slot
// per parameter, named after it; lr and step are the last arguments.
// CHECK-LABEL: func @train_step(%arg0: tensor<4x3xf32>, %arg1: tensor<2x3xf32>, %arg2: tensor<2x3xf32>, %arg3: tensor<f32>, %arg4: tensor<f32>) -> (tensor<f32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK-SAME: hebb.state = ["w.momentum_buffer"]
// CHECK-DAG: %[[MU:.*]] = hebb.constant dense<0.899999976> : tensor<2x3xf32>
// CHECK-DAG: %[[G:.*]] = hebb.matmul %{{.*}}, %arg0 {transpose_lhs = true}
// CHECK-DAG: %[[LR:.*]] = hebb.broadcast_in_dim %arg3 {broadcast_dimensions = array<i64>} : tensor<f32> -> tensor<2x3xf32>
// CHECK-DAG: %[[M:.*]] = hebb.mul %arg2, %[[MU]] : tensor<2x3xf32>
// CHECK: %[[BUF:.*]] = hebb.add %[[M]], %[[G]] : tensor<2x3xf32>
// CHECK: %[[STEP:.*]] = hebb.mul %[[LR]], %[[BUF]]
// CHECK: %[[P:.*]] = hebb.sub %arg1, %[[STEP]]
// CHECK: return %{{.*}}, %[[P]], %[[BUF]]
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "sgd", momentum = 0.9 : f64, dampening = 0.0 : f64}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %sq = hebb.mul %z, %z : tensor<4x2xf32>
  %l = hebb.reduce_sum %sq {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}
