// RUN: hebb-opt %s -hebb-to-linalg -hebb-unshare-inits -empty-tensor-to-alloc-tensor "-one-shot-bufferize=bufferize-function-boundaries allow-return-allocs function-boundary-type-conversion=identity-layout-map" -buffer-results-to-out-params -buffer-deallocation -hebb-plan-memory | FileCheck %s

// Four 8x16 products in a chain: each temporary dies when the next product
// has read it, so two 512-byte slots suffice and the third and fourth
// products reuse the first two's bytes. Each product fills its own buffer
// (hebb-unshare-inits undoes CSE of the zero fills) right before it. No alloc or dealloc is left; the
// scratch is the last argument and its size an LLVM function attribute.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[S:arg[0-9]+]]: memref<1024xi8>) attributes {passthrough = {{\[\[}}"hebb-scratch-bytes", "1024"]]}
// CHECK-NOT: memref.alloc
// CHECK: arith.constant 0 : index
// CHECK-NEXT: memref.view %[[S]]{{.*}} : memref<1024xi8> to memref<8x16xf32>
// CHECK-NEXT: linalg.fill
// CHECK: arith.constant 512 : index
// CHECK-NEXT: memref.view %[[S]]
// CHECK: arith.constant 0 : index
// CHECK-NEXT: memref.view %[[S]]
// CHECK: arith.constant 512 : index
// CHECK-NEXT: memref.view %[[S]]
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @chain(%x: tensor<8x16xf32>, %w: tensor<16x16xf32>) -> tensor<8x16xf32> {
  %0 = hebb.matmul %x, %w : tensor<8x16xf32>, tensor<16x16xf32> -> tensor<8x16xf32>
  %1 = hebb.matmul %0, %w : tensor<8x16xf32>, tensor<16x16xf32> -> tensor<8x16xf32>
  %2 = hebb.matmul %1, %w : tensor<8x16xf32>, tensor<16x16xf32> -> tensor<8x16xf32>
  %3 = hebb.matmul %2, %w : tensor<8x16xf32>, tensor<16x16xf32> -> tensor<8x16xf32>
  return %3 : tensor<8x16xf32>
}
