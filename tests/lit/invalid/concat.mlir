// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @mismatch(%a: tensor<4x3xf32>, %b: tensor<5x3xf32>) {
  // expected-error @+1 {{input 1 'tensor<5x3xf32>' does not match input 0 'tensor<4x3xf32>' outside axis 1}}
  %0 = hebb.concat %a, %b {axis = 1} : tensor<4x3xf32>, tensor<5x3xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @axis(%a: tensor<4x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for 'tensor<4x3xf32>'}}
  %0 = hebb.concat %a, %a {axis = 2} : tensor<4x3xf32>, tensor<4x3xf32> -> tensor<4x6xf32>
  return
}
