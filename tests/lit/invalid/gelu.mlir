// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @mode(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{approximate must be "none" or "tanh", got "erf"}}
  %0 = "hebb.gelu"(%x) {approximate = "erf"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @result_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'hebb.gelu' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x2xf32>'}}
  %0 = "hebb.gelu"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @integer(%x: tensor<3xi32>) {
  // expected-error @+1 {{'hebb.gelu' op operand #0 must be statically shaped tensor of f32}}
  %0 = "hebb.gelu"(%x) : (tensor<3xi32>) -> tensor<3xi32>
  return
}
