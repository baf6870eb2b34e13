// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @bounds(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{dimension 1 of 'tensor<4x8xf32>': need 0 <= start <= limit <= 8 and stride >= 1, got start 2, limit 9, stride 1}}
  %0 = hebb.slice %x {start = array<i64: 0, 2>, limit = array<i64: 4, 9>, stride = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x7xf32>
  return
}

// -----

func.func @stride(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{stride 0}}
  %0 = hebb.slice %x {start = array<i64: 0, 0>, limit = array<i64: 4, 8>, stride = array<i64: 1, 0>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}
