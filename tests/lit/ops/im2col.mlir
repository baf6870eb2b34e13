// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// [N C H W] = [2 2 5 6], kernel 2x3, strides 2x1, padding (1 0 1 1),
// dilation 1x2: OH = (5 + 1 - 2) / 2 + 1 = 3, OW = (6 + 2 - 5) / 1 + 1 = 4.
// CHECK-LABEL: func @im2col
// CHECK: hebb.im2col %arg0 {dilation = array<i64: 1, 2>, kernel = array<i64: 2, 3>, padding = array<i64: 1, 0, 1, 1>, strides = array<i64: 2, 1>} : tensor<2x2x5x6xf32> -> tensor<12x24xf32>
// CHECK: hebb.im2col %arg0 {{{.*}}value = 0xFFF0000000000000 : f64} : tensor<2x2x5x6xf32> -> tensor<12x24xf32>
func.func @im2col(%x: tensor<2x2x5x6xf32>) -> (tensor<12x24xf32>, tensor<12x24xf32>) {
  %0 = hebb.im2col %x {kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>} : tensor<2x2x5x6xf32> -> tensor<12x24xf32>
  %1 = hebb.im2col %x {kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>, value = 0xFFF0000000000000 : f64} : tensor<2x2x5x6xf32> -> tensor<12x24xf32>
  return %0, %1 : tensor<12x24xf32>, tensor<12x24xf32>
}
