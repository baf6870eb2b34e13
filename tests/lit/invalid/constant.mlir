// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @not_tensor() {
  // expected-error @+1 {{'hebb.constant' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  %0 = "hebb.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return
}

// -----

func.func @missing() {
  // expected-error @+1 {{'hebb.constant' op requires attribute 'value'}}
  %0 = "hebb.constant"() : () -> tensor<3xf32>
  return
}
