// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @rate_one(%x: tensor<4xf32>) {
  // expected-error @+1 {{rate must be in [0, 1), got 1}}
  %0 = hebb.dropout %x {rate = 1.0} : tensor<4xf32>
  return
}

// -----

func.func @no_rate(%x: tensor<4xf32>) {
  // expected-error @+1 {{'hebb.dropout' op requires attribute 'rate'}}
  %0 = "hebb.dropout"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return
}
