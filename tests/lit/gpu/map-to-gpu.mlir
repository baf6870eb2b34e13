// RUN: hebb-opt %s -hebb-map-to-gpu -canonicalize -cse | FileCheck %s
// RUN: hebb-opt %s -hebb-map-to-gpu=cooperative=0 -canonicalize | FileCheck %s --check-prefix=NAIVE
// RUN: hebb-opt %s -hebb-map-to-gpu -gpu-kernel-outlining -hebb-merge-gpu-modules | FileCheck %s --check-prefix=OUTLINED

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#bt = affine_map<(d0, d1, d2) -> (d1, d2)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK: module attributes {gpu.container_module}
// CHECK-LABEL: func.func @step(
func.func @step(%x: memref<100x30xf32>, %y: memref<100x30xf32>,
                %s: memref<100xf32>, %w: memref<50x30xf32>,
                %p: memref<100x50xf32>, %seed: memref<2xi32>,
                %n: memref<f32>) {
  // Elementwise, 3000 points: 12 blocks of 256 threads; thread g is the
  // point (g / 30, g % 30) (the last loop fastest), those past 3000 idle.
  // CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c12, %{{.*}} = %c1, %{{.*}} = %c1) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256,
  // CHECK: %[[B:.*]] = arith.muli %[[BX]], %c256
  // CHECK: %[[G:.*]] = arith.addi %[[B]], %[[TX]] : index
  // CHECK: %[[IN:.*]] = arith.cmpi ult, %[[G]], %c3000
  // CHECK: scf.if %[[IN]] {
  // CHECK: %[[J:.*]] = arith.remui %[[G]], %c30
  // CHECK: %[[Q:.*]] = arith.divui %[[G]], %c30
  // CHECK: %[[I:.*]] = arith.remui %[[Q]], %c100
  // CHECK: memref.load %arg0[%[[I]], %[[J]]]
  // CHECK: arith.mulf
  // CHECK: memref.store %{{.*}}, %arg1[%[[I]], %[[J]]]
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<100x30xf32>) outs(%y : memref<100x30xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  }
  // A row sum: one thread per row (100 points round up to 128 threads, one
  // block), its reduction loop in order inside.
  // CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}}) threads(%[[T:.*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c128,
  // CHECK: scf.if
  // CHECK: %[[R:.*]] = arith.remui %[[T]], %c100
  // CHECK: scf.for %[[K:.*]] = %c0 to %c30 step %c1
  // CHECK: memref.load %arg1[%[[R]], %[[K]]]
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%y : memref<100x30xf32>) outs(%s : memref<100xf32>) {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  }
  // A product with a transposed right operand: tiles of 16x16 here (64x64
  // or 32x32 would give fewer than 128 blocks), the grid (ceil(50/16),
  // ceil(100/16), 1), 256 threads; the operands' slabs staged in shared
  // memory (address space 3), zeros outside the matrices, between barriers;
  // fma from the slabs; the sums added to the output.
  // CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c4, {{.*}} = %c7, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256,
  // CHECK: memref.get_global @hebb_gemm_tile_a_16 : memref<16x16xf32, 3>
  // CHECK: scf.for %[[K0:.*]] = %c0 to %c30 step %c16 iter_args(
  // CHECK: scf.if %{{.*}} -> (f32) {
  // CHECK: memref.load %arg0[
  // CHECK: } else {
  // CHECK: scf.yield %cst : f32
  // CHECK: memref.load %arg3[
  // CHECK: gpu.barrier
  // CHECK-COUNT-16: math.fma
  // CHECK: gpu.barrier
  // CHECK: scf.yield
  // CHECK: memref.load %arg4[
  // CHECK: arith.addf
  // CHECK: memref.store %{{.*}}, %arg4[
  // Without tiling: one thread per output element, 5000 points.
  // NAIVE: gpu.launch
  // NAIVE: gpu.launch
  // NAIVE: gpu.launch blocks({{.*}}) in ({{.*}} = %c20, {{.*}}) threads({{.*}}) in ({{.*}} = %c256,
  // NAIVE-NOT: gpu.barrier
  // NAIVE: scf.for %{{.*}} = %c0 to %c30 step %c1
  linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<100x30xf32>, memref<50x30xf32>) outs(%p : memref<100x50xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %t = arith.addf %o, %m : f32
    linalg.yield %t : f32
  }
  // A scalar from a read-only argument is read in the launch that uses it.
  // A reduction of 100 points into one output: one block of 256 threads,
  // thread t folding points t, t + 256, ... from the identity, then the
  // partials halved in shared memory (8 rounds, a barrier each) and thread
  // 0 adding the total to the output.
  // CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, %{{.*}} = %c1, %{{.*}} = %c1) threads(%[[T:[^,]*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256,
  // CHECK: memref.load %arg5[%c0]
  // CHECK: %[[P:.*]] = scf.for %{{.*}} = %[[T]] to %c100 step %c256 iter_args(%{{.*}} = %cst) -> (f32)
  // CHECK: %[[S:.*]] = memref.get_global @hebb_reduce_partials : memref<256xf32, 3>
  // CHECK: memref.store %[[P]], %[[S]][%[[T]]]
  // CHECK-COUNT-9: gpu.barrier
  // CHECK: %[[TOTAL:.*]] = memref.load %[[S]][%c0]
  // CHECK: %[[OLD:.*]] = memref.load %arg6[]
  // CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %[[TOTAL]]
  // CHECK: memref.store %[[NEW]], %arg6[]
  // NAIVE: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, %{{.*}} = %c1, %{{.*}} = %c1) threads({{.*}}) in (%{{.*}} = %c1, %{{.*}} = %c1, %{{.*}} = %c1)
  // NAIVE-NOT: gpu.barrier
  %c0 = arith.constant 0 : index
  %w0 = memref.load %seed[%c0] : memref<2xi32>
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%s : memref<100xf32>) outs(%n : memref<f32>) {
  ^bb0(%a: f32, %b: f32):
    %f = arith.sitofp %w0 : i32 to f32
    %m = arith.mulf %a, %f : f32
    %t = arith.addf %m, %b : f32
    linalg.yield %t : f32
  }
  // Nothing but launches is left on the host.
  // CHECK-NOT: linalg.generic
  // CHECK: return
  return
}

// Every kernel in one module, named after its outlined module; the launches
// point there, with constants defined inside the kernels.
// OUTLINED: gpu.launch_func @hebb_kernels::@step_kernel blocks in
// OUTLINED-SAME: args(%arg0 : memref<100x30xf32>, %arg1 : memref<100x30xf32>)
// OUTLINED: gpu.launch_func @hebb_kernels::@step_kernel_0
// OUTLINED: gpu.launch_func @hebb_kernels::@step_kernel_1
// OUTLINED: gpu.launch_func @hebb_kernels::@step_kernel_2
// OUTLINED: gpu.module @hebb_kernels
// OUTLINED: gpu.func @step_kernel(
// OUTLINED: gpu.func @step_kernel_0(
// OUTLINED: gpu.func @step_kernel_1(
// The shared slabs go with the kernel that reads them (once).
// OUTLINED: memref.global "private" @hebb_gemm_tile_a_16 : memref<16x16xf32, 3>
// OUTLINED: gpu.func @step_kernel_2(
// OUTLINED-NOT: gpu.module

// A product right after its output's zero fill: the fill is dropped and the
// sums are stored, not added (one launch). 1024x1024 outputs: 64x64 tiles.
// CHECK-LABEL: func.func @product_after_fill(
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c16, {{.*}} = %c16, {{.*}} = %c1) threads
// CHECK: memref.get_global @hebb_gemm_tile_a_64 : memref<16x64xf32, 3>
// CHECK-COUNT-256: math.fma
// CHECK-NOT: memref.load %arg2
// CHECK: memref.store %{{.*}}, %arg2[
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @product_after_fill(%x: memref<1024x30xf32>, %w: memref<1024x30xf32>,
                              %p: memref<1024x1024xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%p : memref<1024x1024xf32>)
  linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1024x30xf32>, memref<1024x30xf32>) outs(%p : memref<1024x1024xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %t = arith.addf %o, %m : f32
    linalg.yield %t : f32
  }
  return
}
