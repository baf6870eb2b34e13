// RUN: hebb-opt %s -hebb-lower-launches | FileCheck %s

// Each launch becomes a call of hebb_cuda_launch: the PTX text and the
// kernel's name as NUL-terminated constant globals, the grid and block, and
// one 64-bit slot per kernel parameter as convert-gpu-to-nvvm lays them out
// (a memref: aligned pointer twice, offset, sizes, strides).
// CHECK-NOT: gpu.module
// CHECK-DAG: memref.global "private" constant @hebb_kernels_ptx : memref<9xi8> = dense<[80, 84, 88, 32, 116, 101, 120, 116, 0]>
// CHECK-DAG: memref.global "private" constant @hebb_kernels.k_name : memref<2xi8> = dense<[107, 0]>
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %[[S:.*]]: memref<4096xi8>
// A view's pointer is its source's plus the byte shift (expand-strided-
// metadata would drop the shift).
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[S]]
// CHECK: %[[P:.*]] = arith.addi %[[BASE]], %c1024
// CHECK: %[[P64:.*]] = arith.index_cast %[[P]] : index to i64
// CHECK: %{{.*}}, %[[OFF:.*]], %[[SIZES:.*]]:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata
// An f32 scalar travels as its bits in the low half of a slot.
// CHECK: %[[BITS:.*]] = arith.bitcast %{{.*}} : f32 to i32
// CHECK: %[[WIDE:.*]] = arith.extui %[[BITS]] : i32 to i64
// CHECK: %[[SLOTS:.*]] = memref.alloca() : memref<8xi64>
// CHECK: memref.store %[[P64]], %[[SLOTS]][%c0
// CHECK: memref.store %[[P64]], %[[SLOTS]][%c1
// CHECK: memref.store %[[WIDE]], %[[SLOTS]][%c7
// CHECK: call @hebb_cuda_launch(%{{.*}}, %{{.*}}, %c2, %c1, %c1, %c128, %c1, %c1, %{{.*}}, %c8{{.*}}) : (index, index, index, index, index, index, index, index, index, index) -> ()
// CHECK: func.func private @hebb_cuda_launch(index, index, index, index, index, index, index, index, index, index)
module attributes {gpu.container_module} {
  func.func @step(%s: memref<4096xi8>, %f: f32) {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c128 = arith.constant 128 : index
    %c1024 = arith.constant 1024 : index
    %v = memref.view %s[%c1024][] : memref<4096xi8> to memref<16x32xf32>
    gpu.launch_func @hebb_kernels::@k blocks in (%c2, %c1, %c1) threads in (%c128, %c1, %c1)
        args(%v : memref<16x32xf32>, %f : f32)
    return
  }
  gpu.module @hebb_kernels attributes {gpu.binary = "PTX text"} {
    gpu.func @k(%a: memref<16x32xf32>, %f: f32) kernel { gpu.return }
  }
}
