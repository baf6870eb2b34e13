// RUN: hebb-opt %s -split-input-file -hebb-batchnorm-train -verify-diagnostics | FileCheck %s

// BatchNorm2d-shaped: statistics over axes 0, 2, 3 (N H W = 2 * 3 * 3 = 18
// values per channel); running statistics (1 - 0.1) old + 0.1 new, the
// variance unbiased (18 / 17); results in buffer-argument order.
// CHECK-LABEL: func @loss(
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32>, tensor<4xf32>)
// CHECK-NOT: hebb.batch_norm
// CHECK: %[[MEAN:.*]] = hebb.reduce_mean %arg0 {axes = array<i64: 0, 2, 3>}
// CHECK: %[[VAR:.*]] = hebb.reduce_mean %{{.*}} {axes = array<i64: 0, 2, 3>}
// CHECK: hebb.add %[[VAR]], %{{.*}} : tensor<4xf32>
// CHECK-DAG: %[[KEEP:.*]] = hebb.constant dense<0.899999976> : tensor<4xf32>
// CHECK-DAG: %[[NEW:.*]] = hebb.constant dense<1.000000e-01> : tensor<4xf32>
// CHECK-DAG: %[[NEWV:.*]] = hebb.constant dense<0.105882354> : tensor<4xf32>
// CHECK-DAG: %[[OLDM:.*]] = hebb.mul %arg3, %[[KEEP]]
// CHECK-DAG: %[[NOWM:.*]] = hebb.mul %[[MEAN]], %[[NEW]]
// CHECK-DAG: %[[RM:.*]] = hebb.add %[[OLDM]], %[[NOWM]]
// CHECK-DAG: %[[NOWV:.*]] = hebb.mul %[[VAR]], %[[NEWV]]
// CHECK: return %{{.*}}, %[[RM]], %{{.*}} : tensor<f32>, tensor<4xf32>, tensor<4xf32>
func.func @loss(%x: tensor<2x4x3x3xf32>, %g: tensor<4xf32> {hebb.param = "bn.weight"},
                %b: tensor<4xf32> {hebb.param = "bn.bias"},
                %m: tensor<4xf32> {hebb.buffer = "bn.running_mean"},
                %v: tensor<4xf32> {hebb.buffer = "bn.running_var"}) -> tensor<f32> {
  %y = hebb.batch_norm %x, %g, %b, %m, %v {epsilon = 1.0e-5, momentum = 0.1} : tensor<2x4x3x3xf32>, tensor<4xf32>
  %l = hebb.reduce_sum %y {axes = array<i64: 0, 1, 2, 3>} : tensor<2x4x3x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// A buffer that no site uses is an error.
// expected-error @+1 {{buffer argument 1 is the running statistic of no batch_norm}}
func.func @loss(%x: tensor<2x4xf32>, %m: tensor<4xf32> {hebb.buffer = "m"}) -> tensor<f32> {
  %l = hebb.reduce_sum %x {axes = array<i64: 0, 1>} : tensor<2x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Statistics must be arguments, one site each.
func.func @loss(%x: tensor<2x4xf32>, %g: tensor<4xf32>) -> tensor<f32> {
  %c = hebb.constant dense<1.0> : tensor<4xf32>
  // expected-error @+1 {{running statistics must be arguments (hebb.buffer) of one batch_norm each}}
  %y = hebb.batch_norm %x, %g, %g, %c, %c {epsilon = 1.0e-5, momentum = 0.1} : tensor<2x4xf32>, tensor<4xf32>
  %l = hebb.reduce_sum %y {axes = array<i64: 0, 1>} : tensor<2x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}
