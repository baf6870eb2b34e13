// RUN: hebb-opt %s -hebb-outline-kernels=min-ops=2 | FileCheck %s
// RUN: hebb-opt %s -hebb-outline-kernels | FileCheck %s --check-prefix=SMALL

// With two loop nests or more (here the threshold is 2), each becomes an
// internal, never-inlined function called in its place; the constant it
// uses is cloned in, the buffers are its arguments.
// CHECK-LABEL: func.func @step(
// CHECK-NOT: linalg.
// CHECK: call @step__kernel0(%arg0, %arg1) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK: call @step__kernel1(%arg1, %arg2) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK: func.func @step__kernel1(%{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>) attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: linalg.generic
// CHECK: func.func @step__kernel0(%{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>) attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: linalg.generic
// A function below the default threshold (64) stays whole.
// SMALL-LABEL: func.func @step(
// SMALL: linalg.generic
// SMALL: linalg.generic
// SMALL-NOT: __kernel
#id = affine_map<(i) -> (i)>
func.func @step(%a: memref<4xf32>, %b: memref<4xf32>, %c: memref<4xf32>) {
  %two = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<4xf32>) outs(%b : memref<4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.mulf %x, %two : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%b : memref<4xf32>) outs(%c : memref<4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}
