// The function to rewrite is an option.
// RUN: hebb-opt %s -hebb-expand-dropout=function=other | FileCheck %s
// CHECK-LABEL: func @other(%arg0: tensor<2xf32>, %arg1: tensor<2xi32> {hebb.seed})
// CHECK: hebb.random_uniform %arg1
func.func @other(%x: tensor<2xf32>) -> tensor<2xf32> {
  %d = hebb.dropout %x {rate = 0.1} : tensor<2xf32>
  return %d : tensor<2xf32>
}
