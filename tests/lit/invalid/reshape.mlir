// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'hebb.reshape' op element count differs: 'tensor<2x3xf32>' has 6, 'tensor<7xf32>' has 7}}
  %0 = hebb.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

func.func @element(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'hebb.reshape' op element type changes from 'tensor<2x3xf32>' to 'tensor<6xi32>'}}
  %0 = hebb.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}
