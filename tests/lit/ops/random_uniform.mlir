// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @random_uniform
// CHECK: hebb.random_uniform %arg0 {shape = array<i64: 128, 512>, stream = 3 : i64} : tensor<2xi32> -> tensor<128x512xf32>
func.func @random_uniform(%seed: tensor<2xi32>) -> tensor<128x512xf32> {
  %0 = hebb.random_uniform %seed {shape = array<i64: 128, 512>, stream = 3} : tensor<2xi32> -> tensor<128x512xf32>
  return %0 : tensor<128x512xf32>
}
