// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @shapes(%x: tensor<2x3xf32>, %y: tensor<3x2xf32>) {
  // expected-error @+1 {{operands must have the same shape and element type, got 'tensor<2x3xf32>' and 'tensor<3x2xf32>' (broadcast explicitly with broadcast_in_dim)}}
  %0 = "hebb.pow"(%x, %y) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @element_types(%x: tensor<3xf32>, %y: tensor<3xi32>) {
  // expected-error @+1 {{'hebb.pow' op operand #1 must be statically shaped tensor of f32, but got 'tensor<3xi32>'}}
  %0 = "hebb.pow"(%x, %y) : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return
}
