// RUN: hebb-opt %s -hebb-lower-to-llvm | FileCheck %s

// Inference entries read a parameter B packed once: one copy for both
// entries (the same B, shape and strides), placed in an area that is each
// entry's last argument (after the scratch). The training step, whose
// weights change every call, packs B as it goes.
// CHECK: module attributes {hebb.packed_floats = 128 : i64, hebb.packs = [{cs = 8 : i64, k = 8 : i64, n = 4 : i64, offset = 0 : i64, param = "fc.weight", rs = 1 : i64}]
// CHECK-LABEL: llvm.func @forward(
// CHECK-SAME: %arg3: !llvm.ptr<i8>, %[[AREA:arg4]]: !llvm.ptr<f32>)
// CHECK: %[[P:[0-9]+]] = llvm.ptrtoint %[[AREA]]
// CHECK: llvm.call @hebb_sgemm_fused(%{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %[[P]], %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}})
// The relu after the product is its epilogue: the bias pointer, relu 1.
// CHECK-LABEL: llvm.func @eval(
// CHECK: %[[ONE:[0-9]+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK: %[[BIAS:[0-9]+]] = llvm.ptrtoint %arg2
// CHECK: llvm.call @hebb_sgemm_fused(%{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %[[BIAS]], %[[ONE]])
// CHECK-LABEL: llvm.func @train_step(
// CHECK-NOT: hebb_sgemm_fused
// CHECK: llvm.call @hebb_sgemm(
func.func @forward(%x: tensor<16x8xf32>, %w: tensor<4x8xf32> {hebb.param = "fc.weight"}) -> tensor<16x4xf32> {
  %y = hebb.matmul %x, %w {transpose_rhs = true} : tensor<16x8xf32>, tensor<4x8xf32> -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}
func.func @eval(%x: tensor<16x8xf32>, %w: tensor<4x8xf32> {hebb.param = "fc.weight"}, %b: tensor<4xf32> {hebb.param = "fc.bias"}) -> tensor<16x4xf32> {
  %y = hebb.matmul %x, %w {transpose_rhs = true} : tensor<16x8xf32>, tensor<4x8xf32> -> tensor<16x4xf32>
  %bb = hebb.broadcast_in_dim %b {broadcast_dimensions = array<i64: 1>} : tensor<4xf32> -> tensor<16x4xf32>
  %s = hebb.add %y, %bb : tensor<16x4xf32>
  %z = hebb.relu %s : tensor<16x4xf32>
  return %z : tensor<16x4xf32>
}
func.func @train_step(%x: tensor<16x8xf32>, %w: tensor<4x8xf32>) -> tensor<16x4xf32> {
  %y = hebb.matmul %x, %w {transpose_rhs = true} : tensor<16x8xf32>, tensor<4x8xf32> -> tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}
