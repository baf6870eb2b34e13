// RUN: hebb-opt %s -hebb-window-to-runtime -cse | FileCheck %s

// The pooling fusions' generics (see window-fusion.mlir), marked by
// hebb.window, over loops (n, oh, ow, c, i, j). Their bodies are what
// WindowFusion builds; the match reads the mark, maps, iterators and
// buffer types only, so these stand-in bodies are enough.
#image = affine_map<(n, oh, ow, c, i, j) -> (n, c, oh * 2 + i, ow * 2 + j)>
#taps = affine_map<(n, oh, ow, c, i, j) -> (i, j)>
#windows = affine_map<(n, oh, ow, c, i, j) -> (n, oh, ow)>

// Maxima and first taps of 2x2 windows at stride 2 over 6 planes of 28x28:
// (image, n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow, max, argmax). The
// fills of the outputs right before are dead and go.
// CHECK-LABEL: func.func @first_max
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C14:.*]] = arith.constant 14 : index
// CHECK-DAG: %[[C28:.*]] = arith.constant 28 : index
// CHECK-NOT: linalg.fill
// CHECK: call @hebb_max_pool(%{{.*}}, %[[C6]], %[[C1]], %[[C28]], %[[C28]], %[[C2]], %[[C2]], %[[C2]], %[[C2]], %[[C1]], %[[C1]], %[[C14]], %[[C14]], %{{.*}}, %{{.*}}) : (index, index, index, index, index, index, index, index, index, index, index, index, index, index, index) -> ()
// CHECK-NOT: linalg.generic
func.func @first_max(%img: memref<6x1x28x28xf32>, %taps: memref<2x2xf32>,
                     %max: memref<6x14x14xf32>, %arg: memref<6x14x14xi32>) {
  %low = arith.constant -3.40282347E+38 : f32
  %zero = arith.constant 0 : i32
  linalg.fill ins(%low : f32) outs(%max : memref<6x14x14xf32>)
  linalg.fill ins(%zero : i32) outs(%arg : memref<6x14x14xi32>)
  linalg.generic {indexing_maps = [#image, #taps, #windows, #windows], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%img, %taps : memref<6x1x28x28xf32>, memref<2x2xf32>) outs(%max, %arg : memref<6x14x14xf32>, memref<6x14x14xi32>) attrs = {hebb.window = "first_max"} {
  ^bb0(%in: f32, %t: f32, %m: f32, %a: i32):
    linalg.yield %in, %a : f32, i32
  }
  return
}

// The gradient scatter after a zero fill of the image: (grad, argmax,
// geometry, image, accumulate = 0).
// CHECK-LABEL: func.func @max_scatter
// CHECK-NOT: linalg.fill
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: call @hebb_max_pool_grad(%[[G:.*]], %[[A:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]])
// CHECK-NOT: linalg.generic
func.func @max_scatter(%arg: memref<6x14x14xi32>, %g: memref<6x14x14xf32>,
                       %taps: memref<2x2xf32>, %img: memref<6x1x28x28xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%img : memref<6x1x28x28xf32>)
  linalg.generic {indexing_maps = [#windows, #windows, #taps, #image], iterator_types = ["parallel", "reduction", "reduction", "parallel", "reduction", "reduction"]} ins(%arg, %g, %taps : memref<6x14x14xi32>, memref<6x14x14xf32>, memref<2x2xf32>) outs(%img : memref<6x1x28x28xf32>) attrs = {hebb.window = "max_scatter"} {
  ^bb0(%a: i32, %in: f32, %t: f32, %o: f32):
    %s = arith.addf %o, %in : f32
    linalg.yield %s : f32
  }
  return
}

// Without the mark, or on a strided buffer, the generic stays.
// CHECK-LABEL: func.func @unmarked
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @unmarked(%img: memref<6x1x28x28xf32>, %taps: memref<2x2xf32>,
                    %max: memref<6x14x14xf32>, %arg: memref<6x14x14xi32>) {
  linalg.generic {indexing_maps = [#image, #taps, #windows, #windows], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%img, %taps : memref<6x1x28x28xf32>, memref<2x2xf32>) outs(%max, %arg : memref<6x14x14xf32>, memref<6x14x14xi32>) {
  ^bb0(%in: f32, %t: f32, %m: f32, %a: i32):
    linalg.yield %in, %a : f32, i32
  }
  return
}
// CHECK-LABEL: func.func @strided
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @strided(%img: memref<6x1x28x28xf32, strided<[1568, 784, 28, 1]>>, %taps: memref<2x2xf32>,
                   %max: memref<6x14x14xf32>, %arg: memref<6x14x14xi32>) {
  linalg.generic {indexing_maps = [#image, #taps, #windows, #windows], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%img, %taps : memref<6x1x28x28xf32, strided<[1568, 784, 28, 1]>>, memref<2x2xf32>) outs(%max, %arg : memref<6x14x14xf32>, memref<6x14x14xi32>) attrs = {hebb.window = "first_max"} {
  ^bb0(%in: f32, %t: f32, %m: f32, %a: i32):
    linalg.yield %in, %a : f32, i32
  }
  return
}
