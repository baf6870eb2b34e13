// RUN: hebb-opt %s -hebb-launch-to-loops | FileCheck %s

// The CPU runs a launch as loops over its blocks, then its threads, the ids
// bound to the loops' indices.
// CHECK-NOT: gpu.container_module
// CHECK-LABEL: func.func @f(
// CHECK: scf.for %[[B:.*]] = %c0{{.*}} to %c3 step %c1
// CHECK: scf.for %[[T:.*]] = %c0{{.*}} to %c64 step %c1
// CHECK: %[[M:.*]] = arith.muli %[[B]], %c64
// CHECK: %[[G:.*]] = arith.addi %[[M]], %[[T]]
// CHECK: memref.store %{{.*}}, %arg0[%[[G]]]
// CHECK-NOT: gpu.
module attributes {gpu.container_module} {
  func.func @f(%out: memref<192xf32>) {
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c64 = arith.constant 64 : index
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c3, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1) {
      %m = arith.muli %bx, %sx : index
      %g = arith.addi %m, %tx : index
      %v = arith.index_cast %g : index to i32
      %f = arith.sitofp %v : i32 to f32
      memref.store %f, %out[%g] : memref<192xf32>
      gpu.terminator
    }
    return
  }
}
