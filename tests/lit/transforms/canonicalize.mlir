// RUN: hebb-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func @add_zero
// CHECK-NEXT: return %arg0
func.func @add_zero(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %z = hebb.constant dense<0.0> : tensor<2x3xf32>
  %0 = hebb.add %x, %z : tensor<2x3xf32>
  %1 = hebb.add %z, %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @mul_one
// CHECK-NEXT: return %arg0
func.func @mul_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = hebb.constant dense<1.0> : tensor<4xf32>
  %0 = hebb.mul %one, %x : tensor<4xf32>
  %1 = hebb.div %0, %one : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// A non-splat or non-identity constant is not an identity.
// CHECK-LABEL: func @mul_two
// CHECK: hebb.mul
func.func @mul_two(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = hebb.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = hebb.mul %x, %c : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func @neg_neg
// CHECK-NEXT: return %arg0
func.func @neg_neg(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = hebb.neg %x : tensor<4xf32>
  %1 = hebb.neg %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @add_neg
// CHECK-NEXT: %[[R:.*]] = hebb.sub %arg0, %arg1 : tensor<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @add_neg(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = hebb.neg %y : tensor<4xf32>
  %1 = hebb.add %x, %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @transpose_transpose_identity
// CHECK-NEXT: return %arg0
func.func @transpose_transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = hebb.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = hebb.transpose %0 {permutation = array<i64: 1, 0>} : tensor<3x2xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// Composition: result dim i of the outer is dim p[q[i]] of the input.
// CHECK-LABEL: func @transpose_compose
// CHECK-NEXT: %[[R:.*]] = hebb.transpose %arg0 {permutation = array<i64: 2, 1, 0>} : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
// CHECK-NEXT: return %[[R]]
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %0 = hebb.transpose %x {permutation = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = hebb.transpose %0 {permutation = array<i64: 1, 0, 2>} : tensor<3x4x2xf32> -> tensor<4x3x2xf32>
  return %1 : tensor<4x3x2xf32>
}

// -----

// CHECK-LABEL: func @reshape_reshape
// CHECK-NEXT: %[[R:.*]] = hebb.reshape %arg0 : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = hebb.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = hebb.reshape %0 : tensor<24xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func @noop_shapes
// CHECK-NEXT: return %arg0
func.func @noop_shapes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = hebb.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = hebb.broadcast_in_dim %0 {broadcast_dimensions = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = hebb.slice %1 {start = array<i64: 0, 0>, limit = array<i64: 2, 3>, stride = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = hebb.transpose %2 {permutation = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = hebb.concat %3 {axis = 0} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %4 : tensor<2x3xf32>
}

// -----

// Small constants fold; values checked against hand arithmetic.
// CHECK-LABEL: func @fold_constants
// CHECK-NEXT: %[[C:.*]] = hebb.constant dense<[5.000000e+00, -1.000000e+00, 8.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_constants() -> tensor<3xf32> {
  %a = hebb.constant dense<[1.0, -3.0, 2.0]> : tensor<3xf32>
  %b = hebb.constant dense<[4.0, 2.0, 6.0]> : tensor<3xf32>
  %0 = hebb.add %a, %b : tensor<3xf32>
  %m = hebb.maximum %0, %a : tensor<3xf32>
  return %m : tensor<3xf32>
}

// -----

// A splat constant folds at any size; a broadcast of a splat stays splat.
// CHECK-LABEL: func @fold_splat
// CHECK-NEXT: %[[C:.*]] = hebb.constant dense<2.000000e+00> : tensor<512x512xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_splat() -> tensor<512x512xf32> {
  %a = hebb.constant dense<4.0> : tensor<512xf32>
  %b = hebb.broadcast_in_dim %a {broadcast_dimensions = array<i64: 1>} : tensor<512xf32> -> tensor<512x512xf32>
  %0 = hebb.sqrt %b : tensor<512x512xf32>
  return %0 : tensor<512x512xf32>
}

// -----

// Integer division by zero is not folded (its value is defined at run time).
// CHECK-LABEL: func @no_fold_div_zero
// CHECK: hebb.div
func.func @no_fold_div_zero() -> tensor<2xi32> {
  %a = hebb.constant dense<[7, 8]> : tensor<2xi32>
  %b = hebb.constant dense<[0, 2]> : tensor<2xi32>
  %0 = hebb.div %a, %b : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func @fold_compare_select
// CHECK-NEXT: return %arg1
func.func @fold_compare_select(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  %a = hebb.constant dense<1.0> : tensor<2xf32>
  %b = hebb.constant dense<2.0> : tensor<2xf32>
  %c = hebb.compare gt, %a, %b : tensor<2xf32>
  %0 = hebb.select %c, %x, %y : tensor<2xi1>, tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// gelu and erf of constants fold; values from the definitions (PyTorch:
// gelu(1) = 0.8413447, gelu(1, approximate="tanh") = 0.8411920,
// erf(0.5) = 0.5204999).
// CHECK-LABEL: func @fold_gelu_erf
// CHECK-DAG: hebb.constant dense<0.84134{{[4-5][0-9]*}}> : tensor<2xf32>
// CHECK-DAG: hebb.constant dense<{{0.84119[1-2][0-9]*|8.41192[0-9]*e-01}}> : tensor<2xf32>
// CHECK-DAG: hebb.constant dense<0.52049{{[89][0-9]*}}> : tensor<2xf32>
// CHECK-NOT: hebb.gelu
// CHECK-NOT: hebb.erf
func.func @fold_gelu_erf() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %one = hebb.constant dense<1.0> : tensor<2xf32>
  %half = hebb.constant dense<0.5> : tensor<2xf32>
  %0 = hebb.gelu %one : tensor<2xf32>
  %1 = hebb.gelu %one {approximate = "tanh"} : tensor<2xf32>
  %2 = hebb.erf %half : tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// The gradients of slices that tile an axis (pads with zeros side by side)
// sum as one pad of their concatenation: three steps of an unrolled
// recurrence, added last to first as autodiff does.
// CHECK-LABEL: func @add_of_adjacent_pads
// CHECK-NEXT: %[[C:.*]] = hebb.concat %arg0, %arg1, %arg2 {axis = 1 : i64} : tensor<2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[P:.*]] = hebb.pad %[[C]] {high = array<i64: 0, 1, 0>, interior = array<i64: 0, 0, 0>, low = array<i64: 0, 0, 0>} : tensor<2x3x4xf32> -> tensor<2x4x4xf32>
// CHECK-NEXT: return %[[P]]
func.func @add_of_adjacent_pads(%a: tensor<2x1x4xf32>, %b: tensor<2x1x4xf32>, %c: tensor<2x1x4xf32>) -> tensor<2x4x4xf32> {
  %pa = hebb.pad %a {low = array<i64: 0, 0, 0>, high = array<i64: 0, 3, 0>, interior = array<i64: 0, 0, 0>, value = 0.0} : tensor<2x1x4xf32> -> tensor<2x4x4xf32>
  %pb = hebb.pad %b {low = array<i64: 0, 1, 0>, high = array<i64: 0, 2, 0>, interior = array<i64: 0, 0, 0>, value = 0.0} : tensor<2x1x4xf32> -> tensor<2x4x4xf32>
  %pc = hebb.pad %c {low = array<i64: 0, 2, 0>, high = array<i64: 0, 1, 0>, interior = array<i64: 0, 0, 0>, value = 0.0} : tensor<2x1x4xf32> -> tensor<2x4x4xf32>
  %0 = hebb.add %pc, %pb : tensor<2x4x4xf32>
  %1 = hebb.add %0, %pa : tensor<2x4x4xf32>
  return %1 : tensor<2x4x4xf32>
}

// -----

// Pads at the same place: pad of the sum.
// CHECK-LABEL: func @add_of_same_pads
// CHECK-NEXT: %[[S:.*]] = hebb.add %arg0, %arg1 : tensor<2x3xf32>
// CHECK-NEXT: %[[P:.*]] = hebb.pad %[[S]] {high = array<i64: 1, 0>, interior = array<i64: 0, 0>, low = array<i64: 0, 2>} : tensor<2x3xf32> -> tensor<3x5xf32>
// CHECK-NEXT: return %[[P]]
func.func @add_of_same_pads(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<3x5xf32> {
  %pa = hebb.pad %a {low = array<i64: 0, 2>, high = array<i64: 1, 0>, interior = array<i64: 0, 0>, value = 0.0} : tensor<2x3xf32> -> tensor<3x5xf32>
  %pb = hebb.pad %b {low = array<i64: 0, 2>, high = array<i64: 1, 0>, interior = array<i64: 0, 0>, value = 0.0} : tensor<2x3xf32> -> tensor<3x5xf32>
  %0 = hebb.add %pa, %pb : tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Not merged: a gap between the pieces, a padding value other than zero,
// interior padding, or pieces apart along two axes.
// CHECK-LABEL: func @add_of_pads_kept
// CHECK-COUNT-4: hebb.add
// CHECK-NOT: hebb.concat
func.func @add_of_pads_kept(%a: tensor<1x2xf32>, %b: tensor<1x2xf32>) -> (tensor<1x6xf32>, tensor<1x4xf32>, tensor<1x5xf32>, tensor<2x4xf32>) {
  %g0 = hebb.pad %a {low = array<i64: 0, 0>, high = array<i64: 0, 4>, interior = array<i64: 0, 0>, value = 0.0} : tensor<1x2xf32> -> tensor<1x6xf32>
  %g1 = hebb.pad %b {low = array<i64: 0, 3>, high = array<i64: 0, 1>, interior = array<i64: 0, 0>, value = 0.0} : tensor<1x2xf32> -> tensor<1x6xf32>
  %gap = hebb.add %g0, %g1 : tensor<1x6xf32>
  %v0 = hebb.pad %a {low = array<i64: 0, 0>, high = array<i64: 0, 2>, interior = array<i64: 0, 0>, value = 1.0} : tensor<1x2xf32> -> tensor<1x4xf32>
  %v1 = hebb.pad %b {low = array<i64: 0, 2>, high = array<i64: 0, 0>, interior = array<i64: 0, 0>, value = 1.0} : tensor<1x2xf32> -> tensor<1x4xf32>
  %ones = hebb.add %v0, %v1 : tensor<1x4xf32>
  %i0 = hebb.pad %a {low = array<i64: 0, 0>, high = array<i64: 0, 2>, interior = array<i64: 0, 1>, value = 0.0} : tensor<1x2xf32> -> tensor<1x5xf32>
  %i1 = hebb.pad %b {low = array<i64: 0, 0>, high = array<i64: 0, 2>, interior = array<i64: 0, 1>, value = 0.0} : tensor<1x2xf32> -> tensor<1x5xf32>
  %interior = hebb.add %i0, %i1 : tensor<1x5xf32>
  %d0 = hebb.pad %a {low = array<i64: 0, 0>, high = array<i64: 1, 2>, interior = array<i64: 0, 0>, value = 0.0} : tensor<1x2xf32> -> tensor<2x4xf32>
  %d1 = hebb.pad %b {low = array<i64: 1, 2>, high = array<i64: 0, 0>, interior = array<i64: 0, 0>, value = 0.0} : tensor<1x2xf32> -> tensor<2x4xf32>
  %diag = hebb.add %d0, %d1 : tensor<2x4xf32>
  return %gap, %ones, %interior, %diag : tensor<1x6xf32>, tensor<1x4xf32>, tensor<1x5xf32>, tensor<2x4xf32>
}

// -----

// Nested concatenations along one axis flatten.
// CHECK-LABEL: func @flatten_concats
// CHECK-NEXT: %[[C:.*]] = hebb.concat %arg0, %arg1, %arg0 {axis = 0 : i64}
// CHECK-NEXT: %[[D:.*]] = hebb.concat %arg0, %arg1 {axis = 1 : i64}
// CHECK-NEXT: %[[E:.*]] = hebb.concat %[[D]], %[[D]] {axis = 0 : i64}
func.func @flatten_concats(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> (tensor<6x3xf32>, tensor<4x6xf32>) {
  %0 = hebb.concat %a, %b {axis = 0} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
  %1 = hebb.concat %0, %a {axis = 0} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<6x3xf32>
  %2 = hebb.concat %a, %b {axis = 1} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x6xf32>
  %3 = hebb.concat %2, %2 {axis = 0} : tensor<2x6xf32>, tensor<2x6xf32> -> tensor<4x6xf32>
  return %1, %3 : tensor<6x3xf32>, tensor<4x6xf32>
}
