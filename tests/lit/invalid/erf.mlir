// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @result_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'hebb.erf' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x2xf32>'}}
  %0 = "hebb.erf"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @integer(%x: tensor<3xi32>) {
  // expected-error @+1 {{'hebb.erf' op operand #0 must be statically shaped tensor of f32}}
  %0 = "hebb.erf"(%x) : (tensor<3xi32>) -> tensor<3xi32>
  return
}
