// RUN: hebb-opt %s -hebb-fuse-elementwise -split-input-file | FileCheck %s

// An optimizer's state update feeds the parameter update and is also a
// result: one generic computes both, the state's value passed on in
// registers (and the gradient, read by both, is read once).
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @state_and_update(
// CHECK-SAME: %[[P:[a-z0-9]+]]: tensor<4x8xf32>, %[[G:[a-z0-9]+]]: tensor<4x8xf32>, %[[S:[a-z0-9]+]]: tensor<4x8xf32>)
// CHECK: %[[J:.*]]:2 = linalg.generic
// CHECK-SAME: ins(%[[G]], %[[S]], %[[P]] :
// CHECK-NEXT: ^bb0(%[[G1:[a-z0-9_]+]]: f32, %[[S1:[a-z0-9_]+]]: f32, %[[P1:[a-z0-9_]+]]: f32,
// CHECK-NEXT: %[[GG:.*]] = arith.mulf %[[G1]], %[[G1]]
// CHECK-NEXT: %[[SN:.*]] = arith.addf %[[S1]], %[[GG]]
// CHECK-NEXT: %[[R:.*]] = math.sqrt %[[SN]]
// CHECK-NEXT: %[[D:.*]] = arith.divf %[[G1]], %[[R]]
// CHECK-NEXT: %[[PN:.*]] = arith.subf %[[P1]], %[[D]]
// CHECK-NEXT: linalg.yield %[[SN]], %[[PN]] : f32, f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[J]]#1, %[[J]]#0
func.func @state_and_update(%p: tensor<4x8xf32>, %g: tensor<4x8xf32>, %s: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e0 = tensor.empty() : tensor<4x8xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %s : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e0 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %sq = arith.mulf %a, %a : f32
    %n = arith.addf %b, %sq : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x8xf32>
  %p2 = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p, %g, %s2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) outs(%e1 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %r = math.sqrt %c : f32
    %d = arith.divf %b, %r : f32
    %n = arith.subf %a, %d : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  return %p2, %s2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// No join where the consumer reads the value at other points (a transposed
// read), or where the consumer reduces: each would need the producer's
// element before the loop reaches it.
#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @no_join
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: linalg.generic
func.func @no_join(%x: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = math.exp %a : f32
    linalg.yield %n : f32
  } -> tensor<8x8xf32>
  %z = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.addf %a, %a : f32
    linalg.yield %n : f32
  } -> tensor<8x8xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8xf32>) -> tensor<8xf32>
  %r = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%y : tensor<8x8xf32>) outs(%f : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.addf %a, %o : f32
    linalg.yield %n : f32
  } -> tensor<8xf32>
  return %y, %z, %r : tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>
}

// -----

// A chain: the state, its square root (joined with it: two results), then
// the update reading the root. The joined op also takes the update; the
// root, read by nothing else, is no longer stored.
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @chain(
// CHECK: %[[J:.*]]:2 = linalg.generic
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: linalg.yield %{{.*}}, %{{.*}} : f32, f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[J]]#1, %[[J]]#0
func.func @chain(%p: tensor<4x8xf32>, %g: tensor<4x8xf32>, %s: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %s : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %sq = arith.mulf %a, %a : f32
    %n = arith.addf %b, %sq : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s2 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = math.sqrt %a : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  %p2 = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p, %g, %r : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %d = arith.divf %b, %c : f32
    %n = arith.subf %a, %d : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  return %p2, %s2 : tensor<4x8xf32>, tensor<4x8xf32>
}
