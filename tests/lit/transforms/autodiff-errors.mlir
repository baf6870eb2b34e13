// RUN: hebb-opt %s -hebb-autodiff -split-input-file -verify-diagnostics

// expected-error @+1 {{the first result must be a scalar tensor<f32> loss}}
func.func @loss(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}
