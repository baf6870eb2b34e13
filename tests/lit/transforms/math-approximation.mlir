// RUN: hebb-opt %s -hebb-math-approximation | FileCheck %s

// exp, log and tanh on f32 (scalars and vectors) become polynomials of
// arith ops that vectorise; nothing calls libm.
// CHECK-LABEL: func @transcendental
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK-NOT: math.tanh
// CHECK: arith.mulf
// CHECK: return
func.func @transcendental(%x: f32, %v: vector<8xf32>) -> (f32, f32, vector<8xf32>) {
  %0 = math.exp %x : f32
  %1 = math.log %x : f32
  %2 = math.tanh %v : vector<8xf32>
  return %0, %1, %2 : f32, f32, vector<8xf32>
}
