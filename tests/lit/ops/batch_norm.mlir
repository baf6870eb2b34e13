// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s

// CHECK-LABEL: func @batch_norm
// CHECK: hebb.batch_norm %arg0, %arg2, %arg3, %arg4, %arg5 {epsilon = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64} : tensor<8x16xf32>, tensor<16xf32>
// CHECK: hebb.batch_norm %arg1, %arg2, %arg3, %arg4, %arg5 {epsilon = 1.000000e-03 : f64, momentum = 0.000000e+00 : f64} : tensor<2x16x5x5xf32>, tensor<16xf32>
func.func @batch_norm(%x: tensor<8x16xf32>, %y: tensor<2x16x5x5xf32>,
                      %g: tensor<16xf32>, %b: tensor<16xf32>,
                      %m: tensor<16xf32>, %v: tensor<16xf32>)
    -> (tensor<8x16xf32>, tensor<2x16x5x5xf32>) {
  %0 = hebb.batch_norm %x, %g, %b, %m, %v {epsilon = 1.0e-5, momentum = 0.1} : tensor<8x16xf32>, tensor<16xf32>
  %1 = hebb.batch_norm %y, %g, %b, %m, %v {epsilon = 1.0e-3, momentum = 0.0} : tensor<2x16x5x5xf32>, tensor<16xf32>
  return %0, %1 : tensor<8x16xf32>, tensor<2x16x5x5xf32>
}
