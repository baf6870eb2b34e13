// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @result_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'hebb.neg' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x2xf32>'}}
  %0 = "hebb.neg"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @dynamic(%x: tensor<?xf32>) {
  // expected-error @+1 {{'hebb.neg' op operand #0 must be statically shaped tensor}}
  %0 = "hebb.neg"(%x) : (tensor<?xf32>) -> tensor<?xf32>
  return
}
