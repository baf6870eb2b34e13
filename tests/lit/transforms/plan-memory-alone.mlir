// RUN: hebb-opt %s -hebb-plan-memory | FileCheck %s

// The pass alone on bufferized IR: %a dies before %c is allocated, so %c
// takes %a's bytes; %b lives across both. Sizes: 256 + 128 = 384 bytes.
// CHECK-LABEL: func.func @temporaries(
// CHECK-SAME: %[[S:arg[0-9]+]]: memref<384xi8>) attributes {passthrough = {{\[\[}}"hebb-scratch-bytes", "384"]]}
// CHECK-NOT: memref.alloc
// CHECK: %[[O1:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %[[S]][%[[O1]]][] : memref<384xi8> to memref<64xf32>
// CHECK: %[[O2:.*]] = arith.constant 256 : index
// CHECK-NEXT: memref.view %[[S]][%[[O2]]][] : memref<384xi8> to memref<32xf32>
// CHECK: %[[O3:.*]] = arith.constant 0 : index
// CHECK-NEXT: memref.view %[[S]][%[[O3]]][] : memref<384xi8> to memref<64xf32>
// CHECK-NOT: memref.dealloc
func.func @temporaries(%in: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  memref.copy %in, %a : memref<64xf32> to memref<64xf32>
  %b = memref.alloc() : memref<32xf32>
  %s = memref.subview %a[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  memref.copy %s, %b : memref<32xf32, strided<[1]>> to memref<32xf32>
  memref.dealloc %a : memref<64xf32>
  %c = memref.alloc() : memref<64xf32>
  memref.copy %in, %c : memref<64xf32> to memref<64xf32>
  %t = memref.subview %c[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  memref.copy %b, %t : memref<32xf32> to memref<32xf32, strided<[1]>>
  memref.copy %c, %out : memref<64xf32> to memref<64xf32>
  memref.dealloc %b : memref<32xf32>
  memref.dealloc %c : memref<64xf32>
  return
}
