// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @scalar_table(%t: tensor<f32>, %i: tensor<3xi32>) {
  // expected-error @+1 {{the table must have rows (rank 1 or more), got 'tensor<f32>'}}
  %0 = "hebb.gather"(%t, %i) : (tensor<f32>, tensor<3xi32>) -> tensor<3xf32>
  return
}

// -----

func.func @float_indices(%t: tensor<4x2xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{'hebb.gather' op operand #1 must be statically shaped tensor of i32}}
  %0 = "hebb.gather"(%t, %i) : (tensor<4x2xf32>, tensor<3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @wrong_result(%t: tensor<4x2xf32>, %i: tensor<3xi32>) {
  // expected-error @+1 {{'hebb.gather' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  %0 = hebb.gather %t, %i : tensor<4x2xf32>, tensor<3xi32> -> tensor<2x3xf32>
  return
}

// -----

func.func @too_large(%t: tensor<4x65536xf32>, %i: tensor<65536xi32>) {
  // expected-error @+1 {{the result would have 2^31 or more elements}}
  %0 = "hebb.gather"(%t, %i) : (tensor<4x65536xf32>, tensor<65536xi32>) -> tensor<65536x65536xf32>
  return
}
