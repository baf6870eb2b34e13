// RUN: hebb-opt %s -split-input-file -verify-diagnostics -hebb-launch-tasks | FileCheck %s

// The call of a task becomes its arguments in 8-byte slots (allocated once,
// in the entry block) and a call of hebb_parallel_for with the task's
// entry and [extent, grain, work].
// CHECK-LABEL: llvm.func @step(
// CHECK-SAME: %[[A:.*]]: !llvm.ptr<f32>, %[[F:.*]]: f32)
// CHECK: %[[N:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK: %[[SLOTS:.*]] = llvm.alloca %[[N]] x i64 {alignment = 8 : i64}
// CHECK: llvm.br ^bb1
// CHECK: ^bb1:
// CHECK: %[[AT0:.*]] = llvm.getelementptr %[[SLOTS]][0]
// CHECK: %[[S0:.*]] = llvm.bitcast %[[AT0]] : !llvm.ptr<i64> to !llvm.ptr<ptr<f32>>
// CHECK: llvm.store %[[A]], %[[S0]]
// CHECK: %[[AT1:.*]] = llvm.getelementptr %[[SLOTS]][1]
// CHECK: %[[S1:.*]] = llvm.bitcast %[[AT1]] : !llvm.ptr<i64> to !llvm.ptr<f32>
// CHECK: llvm.store %[[F]], %[[S1]]
// CHECK: %[[FN:.*]] = llvm.mlir.addressof @step__task0__entry
// CHECK: %[[ARGS:.*]] = llvm.bitcast %[[SLOTS]] : !llvm.ptr<i64> to !llvm.ptr<i8>
// CHECK: %[[EXTENT:.*]] = llvm.mlir.constant(1024 : i64)
// CHECK: %[[GRAIN:.*]] = llvm.mlir.constant(64 : i64)
// CHECK: %[[WORK:.*]] = llvm.mlir.constant(2048 : i64)
// CHECK: llvm.call @hebb_parallel_for(%[[FN]], %[[ARGS]], %[[EXTENT]], %[[GRAIN]], %[[WORK]])
// CHECK-NOT: llvm.call @step__task0(
// CHECK: llvm.return
// The task loses its attribute and stays out of line.
// CHECK: llvm.func internal @step__task0(
// CHECK-NOT: hebb.parallel
// CHECK-SAME: passthrough = ["noinline"]
// The entry unpacks the slots and calls the task on [lo, hi).
// CHECK: llvm.func internal @step__task0__entry(%[[P:.*]]: !llvm.ptr<i8>, %[[LO:.*]]: i64, %[[HI:.*]]: i64)
// CHECK: %[[E:.*]] = llvm.bitcast %[[P]] : !llvm.ptr<i8> to !llvm.ptr<i64>
// CHECK: %[[E0:.*]] = llvm.getelementptr %[[E]][0]
// CHECK: %[[E0P:.*]] = llvm.bitcast %[[E0]] : !llvm.ptr<i64> to !llvm.ptr<ptr<f32>>
// CHECK: %[[X:.*]] = llvm.load %[[E0P]]
// CHECK: %[[E1:.*]] = llvm.getelementptr %[[E]][1]
// CHECK: %[[E1F:.*]] = llvm.bitcast %[[E1]] : !llvm.ptr<i64> to !llvm.ptr<f32>
// CHECK: %[[Y:.*]] = llvm.load %[[E1F]]
// CHECK: llvm.call @step__task0(%[[X]], %[[Y]], %[[LO]], %[[HI]])
// CHECK: llvm.func @hebb_parallel_for(!llvm.ptr<func<void (ptr<i8>, i64, i64)>>, !llvm.ptr<i8>, i64, i64, i64)
llvm.func @step(%a: !llvm.ptr<f32>, %f: f32) {
  llvm.br ^bb1
^bb1:
  %lo = llvm.mlir.constant(0 : i64) : i64
  %hi = llvm.mlir.constant(1024 : i64) : i64
  llvm.call @step__task0(%a, %f, %lo, %hi) : (!llvm.ptr<f32>, f32, i64, i64) -> ()
  llvm.return
}
llvm.func internal @step__task0(%a: !llvm.ptr<f32>, %f: f32, %lo: i64, %hi: i64) attributes {hebb.parallel = array<i64: 1024, 64, 2048>, passthrough = ["noinline"]} {
  llvm.return
}

// -----

// A task attribute that is not [extent, grain, work] is refused.
// expected-error @+1 {{malformed hebb.parallel task}}
llvm.func internal @bad(%lo: i64, %hi: i64) attributes {hebb.parallel = array<i64: 1024>} {
  llvm.return
}
