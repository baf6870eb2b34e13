// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @rnn
// CHECK: %[[R:.*]]:2 = hebb.scan(%arg0) carry(%arg1) with(%arg2) {
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<4x8xf32>, %[[H:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<8x8xf32>):
// CHECK: hebb.matmul %[[H]], %[[W]]
// CHECK: hebb.yield %[[N:.*]], %[[N]] : tensor<4x8xf32>, tensor<4x8xf32>
// CHECK-NEXT: } : (tensor<5x4x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<5x4x8xf32>, tensor<4x8xf32>)
func.func @rnn(%xs: tensor<5x4x8xf32>, %h0: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<5x4x8xf32>, tensor<4x8xf32>) {
  %hs, %h = hebb.scan (%xs) carry (%h0) with (%w) {
  ^bb0(%x: tensor<4x8xf32>, %s: tensor<4x8xf32>, %v: tensor<8x8xf32>):
    %p = hebb.matmul %s, %v : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
    %a = hebb.add %x, %p : tensor<4x8xf32>
    %n = hebb.tanh %a : tensor<4x8xf32>
    hebb.yield %n, %n : tensor<4x8xf32>, tensor<4x8xf32>
  } : (tensor<5x4x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<5x4x8xf32>, tensor<4x8xf32>)
  return %hs, %h : tensor<5x4x8xf32>, tensor<4x8xf32>
}

// Reversed, i32 steps, no carries and no invariants.
// CHECK-LABEL: func @reversed
// CHECK: hebb.scan(%arg0) carry() with() attributes {reverse = true} {
func.func @reversed(%ids: tensor<6x3xi32>) -> tensor<6x3xi32> {
  %r = hebb.scan (%ids) carry () with () attributes {reverse = true} {
  ^bb0(%i: tensor<3xi32>):
    %n = hebb.neg %i : tensor<3xi32>
    hebb.yield %n : tensor<3xi32>
  } : (tensor<6x3xi32>) -> tensor<6x3xi32>
  return %r : tensor<6x3xi32>
}
