// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// The adjoint of the im2col in ops/im2col.mlir: the image shape is an
// attribute (with stride 2, OH = 3 comes from H = 5 or H = 6).
// CHECK-LABEL: func @col2im
// CHECK: hebb.col2im %arg0 {dilation = array<i64: 1, 2>, kernel = array<i64: 2, 3>, padding = array<i64: 1, 0, 1, 1>, shape = array<i64: 2, 2, 5, 6>, strides = array<i64: 2, 1>} : tensor<12x24xf32> -> tensor<2x2x5x6xf32>
// CHECK: hebb.col2im %arg0 {{{.*}}shape = array<i64: 2, 2, 6, 6>{{.*}}} : tensor<12x24xf32> -> tensor<2x2x6x6xf32>
func.func @col2im(%c: tensor<12x24xf32>) -> (tensor<2x2x5x6xf32>, tensor<2x2x6x6xf32>) {
  %0 = hebb.col2im %c {shape = array<i64: 2, 2, 5, 6>, kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>} : tensor<12x24xf32> -> tensor<2x2x5x6xf32>
  %1 = hebb.col2im %c {shape = array<i64: 2, 2, 6, 6>, kernel = array<i64: 2, 3>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 1, 1>, dilation = array<i64: 1, 2>} : tensor<12x24xf32> -> tensor<2x2x6x6xf32>
  return %0, %1 : tensor<2x2x5x6xf32>, tensor<2x2x6x6xf32>
}
