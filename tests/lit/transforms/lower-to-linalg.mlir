// RUN: hebb-opt %s -convert-hebb-to-linalg -split-input-file | FileCheck %s

// A dense layer: matmul with a transposed weight keeps k innermost and
// marks the accumulation reassociable so it vectorises.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @dense
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc,contract>
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc,contract>
// CHECK-NOT: hebb.
func.func @dense(%x: tensor<8x4xf32>, %w: tensor<3x4xf32>) -> tensor<8x3xf32> {
  %0 = hebb.matmul %x, %w {transpose_rhs = true} : tensor<8x4xf32>, tensor<3x4xf32> -> tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}

// -----

// CHECK-LABEL: func @sigmoid
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = hebb.sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @softmax
// CHECK: arith.maxf
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = hebb.softmax %x {axis = 1} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func @int_div
// CHECK: arith.cmpi eq
// CHECK: arith.divsi
// CHECK: arith.select
func.func @int_div(%x: tensor<4xi32>, %y: tensor<4xi32>) -> tensor<4xi32> {
  %0 = hebb.div %x, %y : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func @slice_concat
// CHECK: tensor.extract_slice %arg0[0, 1] [2, 2] [2, 2]
// CHECK: tensor.insert_slice
// CHECK: tensor.insert_slice
func.func @slice_concat(%x: tensor<4x5xf32>) -> (tensor<2x2xf32>, tensor<8x5xf32>) {
  %0 = hebb.slice %x {start = array<i64: 0, 1>, limit = array<i64: 4, 5>, stride = array<i64: 2, 2>} : tensor<4x5xf32> -> tensor<2x2xf32>
  %1 = hebb.concat %x, %x {axis = 0} : tensor<4x5xf32>, tensor<4x5xf32> -> tensor<8x5xf32>
  return %0, %1 : tensor<2x2xf32>, tensor<8x5xf32>
}

// -----

// The whole pipeline reaches the LLVM dialect with bare-pointer arguments:
// input, output, then the scratch for temporaries (planned statically; no
// malloc remains).
// RUN: hebb-opt %s -hebb-lower-to-llvm -split-input-file | FileCheck %s --check-prefix=LLVM
// LLVM-LABEL: llvm.func @relu(%arg0: !llvm.ptr<f32>, %arg1: !llvm.ptr<f32>, %arg2: !llvm.ptr<i8>)
// LLVM-SAME: passthrough = {{\[\[}}"hebb-scratch-bytes", "{{[0-9]+}}"]]
// LLVM-NOT: memrefCopy
// LLVM-NOT: malloc
func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = hebb.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
