// RUN: hebb-opt %s -canonicalize | FileCheck %s

// The invariant transpose(W) is read by one product as it is and by one
// that transposes it back: that one reads W (a new invariant) instead.
// CHECK-LABEL: func @transposed_invariant
// CHECK: %[[T:.*]] = hebb.transpose %arg2
// CHECK: hebb.scan(%arg0) carry(%arg1) with(%[[T]], %arg2) {
// CHECK: ^bb0(%{{.*}}: tensor<4x8xf32>, %[[H:.*]]: tensor<4x8xf32>, %[[WT:.*]]: tensor<8x6xf32>, %[[W:.*]]: tensor<6x8xf32>):
// CHECK: hebb.matmul %[[H]], %[[WT]] : tensor<4x8xf32>, tensor<8x6xf32>
// CHECK: hebb.matmul %{{.*}}, %[[W]] : tensor<4x6xf32>, tensor<6x8xf32>
func.func @transposed_invariant(%xs: tensor<5x4x8xf32>, %h0: tensor<4x8xf32>, %w: tensor<6x8xf32>) -> tensor<4x8xf32> {
  %wt = hebb.transpose %w {permutation = array<i64: 1, 0>} : tensor<6x8xf32> -> tensor<8x6xf32>
  %hs, %h = hebb.scan (%xs) carry (%h0) with (%wt) {
  ^bb0(%x: tensor<4x8xf32>, %s: tensor<4x8xf32>, %v: tensor<8x6xf32>):
    %p = hebb.matmul %s, %v : tensor<4x8xf32>, tensor<8x6xf32> -> tensor<4x6xf32>
    %q = hebb.matmul %p, %v {transpose_rhs = true} : tensor<4x6xf32>, tensor<8x6xf32> -> tensor<4x8xf32>
    %a = hebb.add %x, %q : tensor<4x8xf32>
    hebb.yield %a, %a : tensor<4x8xf32>, tensor<4x8xf32>
  } : (tensor<5x4x8xf32>, tensor<4x8xf32>, tensor<8x6xf32>) -> (tensor<5x4x8xf32>, tensor<4x8xf32>)
  return %h : tensor<4x8xf32>
}

// A sequence and an invariant no step reads are dropped; the last unread
// sequence stays when none is read (it gives the loop its length).
// CHECK-LABEL: func @unread
// CHECK: hebb.scan(%arg1) carry(%arg2) with() {
// CHECK: ^bb0(%{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xf32>):
// CHECK-LABEL: func @none_read
// CHECK: hebb.scan(%arg1) carry(%arg2) with() {
func.func @unread(%a: tensor<5x2xf32>, %b: tensor<5x3xf32>, %c: tensor<3xf32>, %w: tensor<7xf32>) -> tensor<3xf32> {
  %r:2 = hebb.scan (%a, %b) carry (%c) with (%w) {
  ^bb0(%x: tensor<2xf32>, %y: tensor<3xf32>, %s: tensor<3xf32>, %v: tensor<7xf32>):
    %n = hebb.add %y, %s : tensor<3xf32>
    hebb.yield %n, %n : tensor<3xf32>, tensor<3xf32>
  } : (tensor<5x2xf32>, tensor<5x3xf32>, tensor<3xf32>, tensor<7xf32>) -> (tensor<5x3xf32>, tensor<3xf32>)
  return %r#1 : tensor<3xf32>
}
func.func @none_read(%a: tensor<5x2xf32>, %b: tensor<5x3xf32>, %c: tensor<3xf32>) -> tensor<3xf32> {
  %r:2 = hebb.scan (%a, %b) carry (%c) with () {
  ^bb0(%x: tensor<2xf32>, %y: tensor<3xf32>, %s: tensor<3xf32>):
    %n = hebb.neg %s : tensor<3xf32>
    hebb.yield %n, %n : tensor<3xf32>, tensor<3xf32>
  } : (tensor<5x2xf32>, tensor<5x3xf32>, tensor<3xf32>) -> (tensor<5x3xf32>, tensor<3xf32>)
  return %r#1 : tensor<3xf32>
}
