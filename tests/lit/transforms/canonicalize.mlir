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
