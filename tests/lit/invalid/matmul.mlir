// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @contracting(%a: tensor<4x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{contracting dimensions differ: 'tensor<4x3xf32>' has 3, 'tensor<4x5xf32>' has 4}}
  %0 = "hebb.matmul"(%a, %b) : (tensor<4x3xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @rank(%a: tensor<4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{operands must both be 2-D, or of one rank with batch dimensions in front, got 'tensor<4xf32>' and 'tensor<4x5xf32>'}}
  %0 = "hebb.matmul"(%a, %b) : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @ranks_differ(%a: tensor<2x4x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{operands must both be 2-D, or of one rank with batch dimensions in front, got 'tensor<2x4x3xf32>' and 'tensor<3x5xf32>'}}
  %0 = "hebb.matmul"(%a, %b) : (tensor<2x4x3xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @batch(%a: tensor<2x4x3xf32>, %b: tensor<3x3x5xf32>) {
  // expected-error @+1 {{batch dimensions differ: 'tensor<2x4x3xf32>' and 'tensor<3x3x5xf32>'}}
  %0 = "hebb.matmul"(%a, %b) : (tensor<2x4x3xf32>, tensor<3x3x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @transposed_batch(%a: tensor<2x3x4xf32>, %b: tensor<2x5x4xf32>) {
  // expected-error @+1 {{contracting dimensions differ: 'tensor<2x3x4xf32>' (transposed) has 3, 'tensor<2x5x4xf32>' has 5}}
  %0 = "hebb.matmul"(%a, %b) {transpose_lhs = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x4x4xf32>
  return
}
