// RUN: hebb-opt %s -hebb-parallel-loops | FileCheck %s
// RUN: hebb-opt %s -hebb-parallel-loops=min-work=1000000000 | FileCheck %s --check-prefix=NONE

// A loop nest with enough work and a parallel outer loop becomes a task:
// its buffers and scalars, then the outer range, which the call gives whole.
// CHECK-LABEL: func.func @step(
// CHECK: %[[LO:.*]] = arith.constant 0 : index
// CHECK: %[[HI:.*]] = arith.constant 256 : index
// CHECK: call @step__task0(%arg0, %arg1, %arg3, %[[LO]], %[[HI]]) : (memref<256x512xf32>, memref<256x512xf32>, f32, index, index) -> ()
// A row sum keeps its reduction whole inside each row.
// CHECK: call @step__task1(%arg1, %arg2, %{{.*}}, %{{.*}}) : (memref<256x512xf32>, memref<256xf32>, index, index) -> ()
// A column sum splits its columns (the inner, parallel loop); each thread
// runs the outer reduction over its own columns.
// CHECK: %[[C512:.*]] = arith.constant 512 : index
// CHECK: call @step__task2(%arg1, %arg4, %{{.*}}, %[[C512]])
// Too little work stays where it is.
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-NEXT: ^bb0
// A one-loop nest splits on multiples of 64 (the vectorised body).
// CHECK: call @step__task3(
// The task: [extent, grain, work (iterations times the body's operations,
// yield included)] for the runtime, the outer loop from lo to hi, the inner
// ones whole.
// CHECK: func.func @step__task3(%{{.*}}: memref<65536xf32>, %{{.*}}: f32, %[[L3:.*]]: index, %[[H3:.*]]: index) attributes {hebb.parallel = array<i64: 65536, 64, 196608>, llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: scf.for %{{.*}} = %[[L3]] to %[[H3]]
// The column sum's inner loop is the split one, on a grain of 64.
// CHECK: func.func @step__task2(%{{.*}}: memref<256x512xf32>, %{{.*}}: memref<512xf32>, %[[L2:.*]]: index, %[[H2:.*]]: index) attributes {hebb.parallel = array<i64: 512, 64, 393216>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// CHECK-NEXT: scf.for %{{.*}} = %[[L2]] to %[[H2]]
// CHECK: func.func @step__task1(
// CHECK-SAME: hebb.parallel = array<i64: 256, 1, 393216>
// CHECK: func.func @step__task0(%{{.*}}: memref<256x512xf32>, %{{.*}}: memref<256x512xf32>, %[[F:.*]]: f32, %[[L0:.*]]: index, %[[H0:.*]]: index) attributes {hebb.parallel = array<i64: 256, 1, 393216>
// CHECK: scf.for %[[I:.*]] = %[[L0]] to %[[H0]] step
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK: memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<256x512xf32>
// CHECK: arith.mulf %{{.*}}, %[[F]] : f32
// CHECK: memref.store
// CHECK-NOT: linalg.generic
// NONE-NOT: call
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
#col = affine_map<(i, j) -> (j)>
#one = affine_map<(i) -> (i)>
func.func @step(%a: memref<256x512xf32>, %b: memref<256x512xf32>,
                %s: memref<256xf32>, %f: f32, %c: memref<512xf32>,
                %small: memref<64xf32>, %v: memref<65536xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<256x512xf32>) outs(%b : memref<256x512xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.mulf %x, %f : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%b : memref<256x512xf32>) outs(%s : memref<256xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = arith.addf %x, %y : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #col], iterator_types = ["reduction", "parallel"]}
      ins(%b : memref<256x512xf32>) outs(%c : memref<512xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = arith.addf %x, %y : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#one], iterator_types = ["parallel"]}
      outs(%small : memref<64xf32>) {
  ^bb0(%y: f32):
    %e = arith.addf %y, %f : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#one], iterator_types = ["parallel"]}
      outs(%v : memref<65536xf32>) {
  ^bb0(%y: f32):
    %e = arith.addf %y, %f : f32
    linalg.yield %e : f32
  }
  return
}
