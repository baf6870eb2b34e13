// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @rank(%x: tensor<16xf32>, %v: tensor<16xf32>) {
  // expected-error @+1 {{expects an operand [batch, channels, ...], got 'tensor<16xf32>'}}
  %0 = "hebb.batch_norm"(%x, %v, %v, %v, %v) {epsilon = 1.0e-5, momentum = 0.1} : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return
}

// -----

func.func @channels(%x: tensor<8x16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{scale must be 'tensor<16xf32>' (one value per channel of 'tensor<8x16xf32>'), got 'tensor<8xf32>'}}
  %0 = "hebb.batch_norm"(%x, %v, %v, %v, %v) {epsilon = 1.0e-5, momentum = 0.1} : (tensor<8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @epsilon(%x: tensor<8x16xf32>, %v: tensor<16xf32>) {
  // expected-error @+1 {{epsilon must be in [1e-30, 1e+30], got 0}}
  %0 = "hebb.batch_norm"(%x, %v, %v, %v, %v) {epsilon = 0.0, momentum = 0.1} : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @momentum(%x: tensor<8x16xf32>, %v: tensor<16xf32>) {
  // expected-error @+1 {{momentum must be in [0, 1], got 1.5}}
  %0 = "hebb.batch_norm"(%x, %v, %v, %v, %v) {epsilon = 1.0e-5, momentum = 1.5} : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  return
}
