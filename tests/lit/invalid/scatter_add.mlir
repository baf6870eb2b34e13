// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @rows(%u: tensor<3x2xf32>, %i: tensor<3xi32>) {
  // expected-error @+1 {{rows must be in [1, 2147483647], got 0}}
  %0 = "hebb.scatter_add"(%u, %i) {rows = 0 : i64} : (tensor<3x2xf32>, tensor<3xi32>) -> tensor<0x2xf32>
  return
}

// -----

func.func @mismatch(%u: tensor<3x2xf32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{updates must have the indices' shape followed by a row's: 'tensor<3x2xf32>' for indices 'tensor<4xi32>'}}
  %0 = "hebb.scatter_add"(%u, %i) {rows = 5 : i64} : (tensor<3x2xf32>, tensor<4xi32>) -> tensor<5x2xf32>
  return
}

// -----

func.func @fewer_dims(%u: tensor<3xf32>, %i: tensor<3x1xi32>) {
  // expected-error @+1 {{updates must have the indices' shape followed by a row's}}
  %0 = "hebb.scatter_add"(%u, %i) {rows = 5 : i64} : (tensor<3xf32>, tensor<3x1xi32>) -> tensor<5xf32>
  return
}

// -----

func.func @no_rows(%u: tensor<3xf32>, %i: tensor<3xi32>) {
  // expected-error @+1 {{rows}}
  %0 = "hebb.scatter_add"(%u, %i) : (tensor<3xf32>, tensor<3xi32>) -> tensor<5xf32>
  return
}

// -----

func.func @too_large(%u: tensor<4x65536xf32>, %i: tensor<4xi32>) {
  // expected-error @+1 {{the result would have 2^31 or more elements}}
  %0 = "hebb.scatter_add"(%u, %i) {rows = 65536 : i64} : (tensor<4x65536xf32>, tensor<4xi32>) -> tensor<65536x65536xf32>
  return
}
