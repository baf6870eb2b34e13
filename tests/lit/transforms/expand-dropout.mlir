// RUN: hebb-opt %s -split-input-file -hebb-expand-dropout | FileCheck %s

// Two sites: streams 1 and 2 of one seed, inserted before the parameters;
// kept activations scaled by 1 / (1 - rate).
// CHECK-LABEL: func @loss(%arg0: tensor<4x3xf32>, %arg1: tensor<2xi32> {hebb.seed}, %arg2: tensor<3x3xf32> {hebb.param = "w"})
// CHECK-NOT: hebb.dropout
// CHECK: %[[U1:.*]] = hebb.random_uniform %arg1 {shape = array<i64: 4, 3>, stream = 1 : i64}
// CHECK: %[[R1:.*]] = hebb.constant dense<2.500000e-01> : tensor<4x3xf32>
// CHECK: %[[K1:.*]] = hebb.compare ge, %[[U1]], %[[R1]]
// CHECK: %[[S1:.*]] = hebb.constant dense<1.33333337> : tensor<4x3xf32>
// CHECK: %[[X1:.*]] = hebb.mul %arg0, %[[S1]]
// CHECK: hebb.select %[[K1]], %[[X1]], %{{.*}}
// CHECK: hebb.random_uniform %arg1 {shape = array<i64: 4, 3>, stream = 2 : i64}
// CHECK: hebb.constant dense<5.000000e-01>
// CHECK-NOT: hebb.dropout
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<3x3xf32> {hebb.param = "w"}) -> tensor<f32> {
  %d = hebb.dropout %x {rate = 0.25} : tensor<4x3xf32>
  %h = hebb.matmul %d, %w : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
  %e = hebb.dropout %h {rate = 0.5} : tensor<4x3xf32>
  %l = hebb.reduce_sum %e {axes = array<i64: 0, 1>} : tensor<4x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// No site: no seed argument, nothing changes.
// CHECK-LABEL: func @loss(%arg0: tensor<4x3xf32>) -> tensor<f32>
func.func @loss(%x: tensor<4x3xf32>) -> tensor<f32> {
  %l = hebb.reduce_sum %x {axes = array<i64: 0, 1>} : tensor<4x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}
