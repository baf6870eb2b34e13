// RUN: hebb-opt %s | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -mlir-print-op-generic | hebb-opt | FileCheck %s
// RUN: hebb-opt %s -canonicalize | FileCheck %s --check-prefix=FOLD

// CHECK-LABEL: func @dropout
// CHECK: hebb.dropout %arg0 {rate = 2.000000e-01 : f64} : tensor<8x16xf32>
// Outside training a dropout site is the identity.
// FOLD-LABEL: func @dropout
// FOLD-NEXT: return %arg0
func.func @dropout(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = hebb.dropout %x {rate = 0.2} : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
