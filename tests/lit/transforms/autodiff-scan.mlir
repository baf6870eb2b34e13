// RUN: hebb-opt %s -hebb-autodiff -canonicalize -cse | FileCheck %s

// Backpropagation through time, derived: the forward loop also stacks the
// state each step starts from (and the values the adjoint reads that it
// does not output already: none here, tanh's result is the output); a
// reversed loop carries the state's adjoint back from them, with no step
// computed twice. The weight's adjoint, a sum of per-step products hᵀ·da,
// is one product of the stacked states and stacked da after the loop.
// CHECK-LABEL: func @grad
// CHECK: %[[FWD:.*]]:3 = hebb.scan(%arg0) carry(%arg1) with(%arg2) {
// CHECK: ^bb0(%{{.*}}: tensor<4x8xf32>, %[[HIN:.*]]: tensor<4x8xf32>, %{{.*}}: tensor<8x8xf32>):
// CHECK: hebb.yield %[[N:.*]], %[[HIN]], %[[N]] : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
// CHECK: } : (tensor<5x4x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<5x4x8xf32>, tensor<5x4x8xf32>, tensor<4x8xf32>)
// The steps' inputs and states are read by no step of it: they are not
// sequences of the backward loop.
// CHECK: %[[BWD:.*]]:2 = hebb.scan(%{{.*}}, %[[FWD]]#0) carry(%{{.*}}) with(%arg2) attributes {reverse = true} {
// CHECK: ^bb0(%[[G:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<4x8xf32>, %[[DH:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<8x8xf32>):
// CHECK-NOT: hebb.tanh
// CHECK: %[[SUM:.*]] = hebb.add %[[G]], %[[DH]]
// CHECK: hebb.mul %[[Y]], %[[Y]]
// CHECK: %[[DA:.*]] = hebb.mul %[[SUM]],
// CHECK: %[[DHIN:.*]] = hebb.matmul %[[DA]], %[[W]] {transpose_rhs = true}
// CHECK-NOT: hebb.matmul
// CHECK: hebb.yield %[[DA]], %[[DHIN]]
// CHECK: %[[HS:.*]] = hebb.reshape %[[FWD]]#1 : tensor<5x4x8xf32> -> tensor<20x8xf32>
// CHECK: %[[DAS:.*]] = hebb.reshape %[[BWD]]#0 : tensor<5x4x8xf32> -> tensor<20x8xf32>
// CHECK: %[[DW:.*]] = hebb.matmul %[[HS]], %[[DAS]] {transpose_lhs = true}
// CHECK: return %{{.*}}, %[[BWD]]#0, %[[BWD]]#1, %[[DW]]
func.func @loss(%xs: tensor<5x4x8xf32>, %h0: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<f32> {
  %hs, %h = hebb.scan (%xs) carry (%h0) with (%w) {
  ^bb0(%x: tensor<4x8xf32>, %s: tensor<4x8xf32>, %v: tensor<8x8xf32>):
    %p = hebb.matmul %s, %v : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
    %a = hebb.add %x, %p : tensor<4x8xf32>
    %n = hebb.tanh %a : tensor<4x8xf32>
    hebb.yield %n, %n : tensor<4x8xf32>, tensor<4x8xf32>
  } : (tensor<5x4x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<5x4x8xf32>, tensor<4x8xf32>)
  %m = hebb.mul %hs, %hs : tensor<5x4x8xf32>
  %l = hebb.reduce_sum %m {axes = array<i64: 0, 1, 2>} : tensor<5x4x8xf32> -> tensor<f32>
  %l2 = hebb.reduce_sum %h {axes = array<i64: 0, 1>} : tensor<4x8xf32> -> tensor<f32>
  %t = hebb.add %l, %l2 : tensor<f32>
  return %t : tensor<f32>
}
