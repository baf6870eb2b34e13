// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @seed_shape(%s: tensor<3xi32>) {
  // expected-error @+1 {{seed must be a tensor<2xi32> (key words), got 'tensor<3xi32>'}}
  %0 = hebb.random_uniform %s {shape = array<i64: 4>} : tensor<3xi32> -> tensor<4xf32>
  return
}

// -----

func.func @huge(%s: tensor<2xi32>) {
  // expected-error @+1 {{shape needs sizes >= 0 and fewer than 2^31 elements}}
  %0 = "hebb.random_uniform"(%s) {shape = array<i64: 65536, 65536>} : (tensor<2xi32>) -> tensor<65536x65536xf32>
  return
}

// -----

func.func @result_type(%s: tensor<2xi32>) {
  // expected-error @+1 {{'hebb.random_uniform' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  %0 = "hebb.random_uniform"(%s) {shape = array<i64: 4>} : (tensor<2xi32>) -> tensor<5xf32>
  return
}
