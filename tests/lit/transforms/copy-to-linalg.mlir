// RUN: hebb-opt %s -hebb-copy-to-linalg | FileCheck %s

// A strided copy (what bufferization emits into an out-parameter) becomes
// linalg.copy: loops, no call into a runner library.
// CHECK-LABEL: func @copy
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%arg0 : memref<4x8xf32, strided<[16, 1]>>) outs(%arg1 : memref<4x8xf32>)
func.func @copy(%src: memref<4x8xf32, strided<[16, 1]>>, %dst: memref<4x8xf32>) {
  memref.copy %src, %dst : memref<4x8xf32, strided<[16, 1]>> to memref<4x8xf32>
  return
}
