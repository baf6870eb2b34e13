// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @contracting(%a: tensor<4x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{contracting dimensions differ: 'tensor<4x3xf32>' has 3, 'tensor<4x5xf32>' has 4}}
  %0 = "hebb.matmul"(%a, %b) : (tensor<4x3xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @rank(%a: tensor<4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{operands must be 2-D, got 'tensor<4xf32>' and 'tensor<4x5xf32>'}}
  %0 = "hebb.matmul"(%a, %b) : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return
}
