// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @one_hot
// CHECK: hebb.one_hot %arg0 {depth = 10 : i64} : tensor<8xi32> -> tensor<8x10xf32>
func.func @one_hot(%l: tensor<8xi32>) -> tensor<8x10xf32> {
  %0 = hebb.one_hot %l {depth = 10} : tensor<8xi32> -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}
