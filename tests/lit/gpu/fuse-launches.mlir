// RUN: hebb-opt %s -hebb-map-to-gpu -hebb-fuse-launches -canonicalize | FileCheck %s

#id = affine_map<(d0) -> (d0)>

// Two updates of different buffers: one launch of both grids (4 + 2
// blocks); blocks 0-3 run the first body, 4-5 the second at block - 4.
// CHECK-LABEL: func.func @independent(
// CHECK: gpu.launch blocks(%[[B:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c6, %{{.*}} = %c1, %{{.*}} = %c1)
// CHECK: %[[FIRST:.*]] = arith.cmpi ult, %[[B]], %c4
// CHECK: scf.if %[[FIRST]] {
// CHECK: memref.store %{{.*}}, %arg1[
// CHECK: } else {
// CHECK: arith.subi %[[B]], %c4
// CHECK: memref.store %{{.*}}, %arg3[
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @independent(%a: memref<1000xf32>, %b: memref<1000xf32>,
                       %c: memref<500xf32>, %d: memref<500xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<1000xf32>) outs(%b : memref<1000xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%c : memref<500xf32>) outs(%d : memref<500xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  }
  return
}

// The second reads what the first writes: two launches.
// CHECK-LABEL: func.func @dependent(
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c4,
// CHECK-NOT: arith.subi
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c4,
func.func @dependent(%a: memref<1000xf32>, %b: memref<1000xf32>,
                     %c: memref<1000xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<1000xf32>) outs(%b : memref<1000xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%b : memref<1000xf32>) outs(%c : memref<1000xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  }
  return
}

// Views of one scratch buffer: disjoint bytes fuse, overlapping ones do not.
// CHECK-LABEL: func.func @views(
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c8,
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c4,
// CHECK-NOT: gpu.launch
func.func @views(%s: memref<16384xi8>, %a: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c4096 = arith.constant 4096 : index
  %c6144 = arith.constant 6144 : index
  %v0 = memref.view %s[%c0][] : memref<16384xi8> to memref<1024xf32>
  %v1 = memref.view %s[%c4096][] : memref<16384xi8> to memref<1024xf32>
  %v2 = memref.view %s[%c6144][] : memref<16384xi8> to memref<1024xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<1024xf32>) outs(%v0 : memref<1024xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<1024xf32>) outs(%v1 : memref<1024xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  // Reads bytes 6144..10239, which the second one wrote (4096..8191).
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v2 : memref<1024xf32>) outs(%a : memref<1024xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}
