// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @size(%x: tensor<3xf32>) {
  // expected-error @+1 {{cannot broadcast 'tensor<3xf32>' to 'tensor<2x4xf32>': operand dimension 0 has size 3, result dimension 1 has size 4}}
  %0 = hebb.broadcast_in_dim %x {broadcast_dimensions = array<i64: 1>} : tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @order(%x: tensor<1x1xf32>) {
  // expected-error @+1 {{broadcast_dimensions must be strictly increasing}}
  %0 = hebb.broadcast_in_dim %x {broadcast_dimensions = array<i64: 1, 0>} : tensor<1x1xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @length(%x: tensor<3xf32>) {
  // expected-error @+1 {{broadcast_dimensions has 2 entries, operand 'tensor<3xf32>' has rank 1}}
  %0 = hebb.broadcast_in_dim %x {broadcast_dimensions = array<i64: 0, 1>} : tensor<3xf32> -> tensor<3x4xf32>
  return
}
