// RUN: hebb-opt %s -hebb-lower-scan | FileCheck %s
// RUN: hebb-opt %s -hebb-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// One scf.for over the 5 steps, counting down: step t = 4 - i of the
// sequence is a rank-reducing slice, the body stays hebb ops, the step
// output is inserted at t and the next carry copied into its loop-carried
// tensor.
// CHECK-LABEL: func @reversed_rnn
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[EMPTY:.*]] = tensor.empty() : tensor<5x4x8xf32>
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[I:.*]] = %[[C0]] to %[[C5]] step %[[C1]] iter_args(%[[H:.*]] = %arg1, %[[HS:.*]] = %[[EMPTY]])
// CHECK: %[[T:.*]] = arith.subi %{{.*}}, %[[I]] : index
// CHECK: %[[X:.*]] = tensor.extract_slice %arg0[%[[T]], 0, 0] [1, 4, 8] [1, 1, 1] : tensor<5x4x8xf32> to tensor<4x8xf32>
// CHECK: hebb.matmul %[[H]], %arg2
// CHECK: %[[N:.*]] = hebb.tanh
// CHECK: %[[STACK:.*]] = tensor.insert_slice %[[N]] into %[[HS]][%[[T]], 0, 0] [1, 4, 8] [1, 1, 1] : tensor<4x8xf32> into tensor<5x4x8xf32>
// CHECK: %[[NEXT:.*]] = linalg.copy ins(%[[N]] : tensor<4x8xf32>) outs(%[[H]] : tensor<4x8xf32>)
// CHECK: scf.yield %[[NEXT]], %[[STACK]]
// CHECK: return %[[LOOP]]#1, %[[LOOP]]#0

// Every temporary of the loop body is placed in the scratch buffer: no
// allocation per step.
// LLVM-LABEL: llvm.func @reversed_rnn
// LLVM-NOT: llvm.call @malloc
// LLVM: llvm.call @hebb_sgemm
// LLVM-NOT: llvm.call @malloc
// LLVM: llvm.return
func.func @reversed_rnn(%xs: tensor<5x4x8xf32>, %h0: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<5x4x8xf32>, tensor<4x8xf32>) {
  %hs, %h = hebb.scan (%xs) carry (%h0) with (%w) attributes {reverse = true} {
  ^bb0(%x: tensor<4x8xf32>, %s: tensor<4x8xf32>, %v: tensor<8x8xf32>):
    %p = hebb.matmul %s, %v : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
    %a = hebb.add %x, %p : tensor<4x8xf32>
    %n = hebb.tanh %a : tensor<4x8xf32>
    hebb.yield %n, %n : tensor<4x8xf32>, tensor<4x8xf32>
  } : (tensor<5x4x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<5x4x8xf32>, tensor<4x8xf32>)
  return %hs, %h : tensor<5x4x8xf32>, tensor<4x8xf32>
}
