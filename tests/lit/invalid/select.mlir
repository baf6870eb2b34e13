// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @mask_type(%c: tensor<4xf32>, %a: tensor<4xf32>) {
  // expected-error @+1 {{'hebb.select' op operand #0 must be statically shaped tensor of i1}}
  %0 = "hebb.select"(%c, %a, %a) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @mask_shape(%c: tensor<3xi1>, %a: tensor<4xf32>) {
  // expected-error @+1 {{condition shape 'tensor<3xi1>' differs from the choices' shape 'tensor<4xf32>'}}
  %0 = "hebb.select"(%c, %a, %a) : (tensor<3xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}
