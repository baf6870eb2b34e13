// RUN: hebb-opt %s -hebb-expand-pow | FileCheck %s

// pow(x, y) = exp(y log|x|), negative for a negative base and an odd
// integral power, NaN for a negative base and any other power, 1 for y = 0.
// CHECK-LABEL: func.func @pow(
// CHECK-NOT: math.powf
// CHECK: %[[A:.*]] = math.absf %arg0
// CHECK: %[[L:.*]] = math.log %[[A]]
// CHECK: %[[P:.*]] = arith.mulf %arg1, %[[L]]
// CHECK: %[[E:.*]] = math.exp %[[P]]
// CHECK: math.floor %arg1
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %arg0
// CHECK: arith.negf %[[E]]
// CHECK: %[[ZERO:.*]] = arith.cmpf oeq, %arg1
// CHECK: arith.select %[[ZERO]]
func.func @pow(%x: f32, %y: f32) -> f32 {
  %r = math.powf %x, %y : f32
  return %r : f32
}
