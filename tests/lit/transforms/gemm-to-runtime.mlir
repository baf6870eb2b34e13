// RUN: hebb-opt %s -convert-hebb-to-linalg -hebb-fuse-elementwise | FileCheck %s --check-prefix=FUSE
// RUN: hebb-opt %s -hebb-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// relu feeds a matmul: fusing it into the product would recompute it for
// every output column, so it stays a separate generic and the product is
// still recognised as a GEMM.
// FUSE-LABEL: func @relu_then_dense
// FUSE: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// FUSE: arith.maxf
// FUSE: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// FUSE-NOT: arith.maxf
// FUSE: return

// Both products become calls: (m, n, k, A, A strides, B, B strides, C, C
// strides, accumulate = 0 since the zero fill is folded into the call).
// The transposed weight is read with strides (1, 4).
// LLVM-LABEL: llvm.func @relu_then_dense
// LLVM-DAG: %[[C0:.*]] = llvm.mlir.constant(0 : i32) : i32
// LLVM-DAG: %[[ONE:.*]] = llvm.mlir.constant(1 : index) : i64
// LLVM-DAG: %[[TWO:.*]] = llvm.mlir.constant(2 : index) : i64
// LLVM-DAG: %[[THREE:.*]] = llvm.mlir.constant(3 : index) : i64
// LLVM-DAG: %[[FOUR:.*]] = llvm.mlir.constant(4 : index) : i64
// LLVM-DAG: %[[EIGHT:.*]] = llvm.mlir.constant(8 : index) : i64
// LLVM: llvm.call @hebb_sgemm(%[[EIGHT]], %[[THREE]], %[[FOUR]], %{{.*}}, %[[FOUR]], %[[ONE]], %{{.*}}, %[[ONE]], %[[FOUR]], %{{.*}}, %[[THREE]], %[[ONE]], %[[C0]])
// LLVM: llvm.call @hebb_sgemm(%[[EIGHT]], %[[TWO]], %[[THREE]], %{{.*}}, %[[THREE]], %[[ONE]], %{{.*}}, %[[TWO]], %[[ONE]], %{{.*}}, %[[TWO]], %[[ONE]], %[[C0]])
// LLVM-NOT: llvm.call @hebb_sgemm(
func.func @relu_then_dense(%x: tensor<8x4xf32>, %w: tensor<3x4xf32>, %v: tensor<3x2xf32>) -> tensor<8x2xf32> {
  %0 = hebb.relu %x : tensor<8x4xf32>
  %1 = hebb.matmul %0, %w {transpose_rhs = true} : tensor<8x4xf32>, tensor<3x4xf32> -> tensor<8x3xf32>
  %2 = hebb.matmul %1, %v : tensor<8x3xf32>, tensor<3x2xf32> -> tensor<8x2xf32>
  return %2 : tensor<8x2xf32>
}

// A batched product, its two batch dimensions collapsed into one: one call
// of (batch, m, n, k, A with batch, row and column strides, B likewise, C
// likewise, accumulate). K is read transposed: strides (20, 1, 4).
// LLVM-LABEL: llvm.func @attention_scores
// LLVM-DAG: %[[C0:.*]] = llvm.mlir.constant(0 : i32) : i32
// LLVM-DAG: %[[ONE:.*]] = llvm.mlir.constant(1 : index) : i64
// LLVM-DAG: %[[FOUR:.*]] = llvm.mlir.constant(4 : index) : i64
// LLVM-DAG: %[[FIVE:.*]] = llvm.mlir.constant(5 : index) : i64
// LLVM-DAG: %[[SIX:.*]] = llvm.mlir.constant(6 : index) : i64
// LLVM-DAG: %[[THREE:.*]] = llvm.mlir.constant(3 : index) : i64
// LLVM-DAG: %[[TWELVE:.*]] = llvm.mlir.constant(12 : index) : i64
// LLVM-DAG: %[[FIFTEEN:.*]] = llvm.mlir.constant(15 : index) : i64
// LLVM-DAG: %[[TWENTY:.*]] = llvm.mlir.constant(20 : index) : i64
// LLVM: llvm.call @hebb_sgemm_batched(%[[SIX]], %[[FOUR]], %[[FIVE]], %[[THREE]], %{{.*}}, %[[TWELVE]], %[[THREE]], %[[ONE]], %{{.*}}, %[[FIFTEEN]], %[[ONE]], %[[THREE]], %{{.*}}, %[[TWENTY]], %[[FIVE]], %[[ONE]], %[[C0]])
// LLVM: llvm.func @hebb_sgemm(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i32)
// LLVM: llvm.func @hebb_sgemm_batched(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i32)
func.func @attention_scores(%q: tensor<2x3x4x3xf32>, %k: tensor<2x3x5x3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = hebb.matmul %q, %k {transpose_rhs = true} : tensor<2x3x4x3xf32>, tensor<2x3x5x3xf32> -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}
