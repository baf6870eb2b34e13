// RUN: hebb-opt %s -hebb-window-to-runtime -cse | FileCheck %s

// The direct convolution fusions' generics (see conv-fusion.mlir), marked
// by hebb.window. The match reads the mark, maps, iterators and buffer
// types only, so these stand-in bodies are enough. LeNet-5's first layer:
// 6 filters of 5x5 over 8 padded images of 1x32x32, 28x28 windows.
#w = affine_map<(o, n, oh, ow, c, i, j) -> (o, c, i, j)>
#img = affine_map<(o, n, oh, ow, c, i, j) -> (n, c, oh + i, ow + j)>
#out = affine_map<(o, n, oh, ow, c, i, j) -> (o, n, oh, ow)>
#gout = affine_map<(o, c, i, j, n, oh, ow) -> (o, n, oh, ow)>
#gimg = affine_map<(o, c, i, j, n, oh, ow) -> (n, c, oh + i, ow + j)>
#gw = affine_map<(o, c, i, j, n, oh, ow) -> (o, c, i, j)>

// (image, n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow, weight, o, out); the
// output's fill goes.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C28:.*]] = arith.constant 28 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-NOT: linalg.fill
// CHECK: call @hebb_conv2d(%{{.*}}, %[[C8]], %[[C1]], %[[C32]], %[[C32]], %[[C5]], %[[C5]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C28]], %[[C28]], %{{.*}}, %[[C6]], %{{.*}}) : (index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index) -> ()
// CHECK-NOT: linalg.generic
func.func @conv(%wt: memref<6x1x5x5xf32>, %img: memref<8x1x32x32xf32>,
                %out: memref<6x8x28x28xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<6x8x28x28xf32>)
  linalg.generic {indexing_maps = [#w, #img, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%wt, %img : memref<6x1x5x5xf32>, memref<8x1x32x32xf32>) outs(%out : memref<6x8x28x28xf32>) attrs = {hebb.window = "conv"} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    linalg.yield %o : f32
  }
  return
}

// (image, geometry, grad, o, dweight, accumulate = 0 after a zero fill).
// CHECK-LABEL: func.func @filter_grad
// CHECK-NOT: linalg.fill
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: call @hebb_conv2d_filter_grad(%[[IMG:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[G:.*]], %{{.*}}, %[[DW:.*]], %[[ZERO]])
// CHECK-NOT: linalg.generic
func.func @filter_grad(%g: memref<6x8x28x28xf32>, %img: memref<8x1x32x32xf32>,
                       %dw: memref<6x1x5x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%dw : memref<6x1x5x5xf32>)
  linalg.generic {indexing_maps = [#gout, #gimg, #gw], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%g, %img : memref<6x8x28x28xf32>, memref<8x1x32x32xf32>) outs(%dw : memref<6x1x5x5xf32>) attrs = {hebb.window = "conv_filter_grad"} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    linalg.yield %o : f32
  }
  return
}

// Without a fill the gradient is added: accumulate = 1.
// CHECK-LABEL: func.func @filter_grad_added
// CHECK: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: call @hebb_conv2d_filter_grad({{.*}}, %[[ONE]])
func.func @filter_grad_added(%g: memref<6x8x28x28xf32>, %img: memref<8x1x32x32xf32>,
                             %dw: memref<6x1x5x5xf32>) {
  linalg.generic {indexing_maps = [#gout, #gimg, #gw], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%g, %img : memref<6x8x28x28xf32>, memref<8x1x32x32xf32>) outs(%dw : memref<6x1x5x5xf32>) attrs = {hebb.window = "conv_filter_grad"} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    linalg.yield %o : f32
  }
  return
}

// Without the mark, with the weight's map swapped for the output's, or on
// a strided buffer, the generic stays.
// CHECK-LABEL: func.func @unmarked
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @unmarked(%wt: memref<6x1x5x5xf32>, %img: memref<8x1x32x32xf32>,
                    %out: memref<6x8x28x28xf32>) {
  linalg.generic {indexing_maps = [#w, #img, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%wt, %img : memref<6x1x5x5xf32>, memref<8x1x32x32xf32>) outs(%out : memref<6x8x28x28xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    linalg.yield %o : f32
  }
  return
}

// CHECK-LABEL: func.func @wrong_maps
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @wrong_maps(%wt: memref<6x8x28x28xf32>, %img: memref<8x1x32x32xf32>,
                      %out: memref<6x1x5x5xf32>) {
  linalg.generic {indexing_maps = [#gout, #gimg, #gw], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%wt, %img : memref<6x8x28x28xf32>, memref<8x1x32x32xf32>) outs(%out : memref<6x1x5x5xf32>) attrs = {hebb.window = "conv"} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    linalg.yield %o : f32
  }
  return
}

// CHECK-LABEL: func.func @strided_buffer
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @strided_buffer(%wt: memref<6x1x5x5xf32>, %img: memref<8x1x32x32xf32, strided<[2048, 1024, 32, 1]>>,
                          %out: memref<6x8x28x28xf32>) {
  linalg.generic {indexing_maps = [#w, #img, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%wt, %img : memref<6x1x5x5xf32>, memref<8x1x32x32xf32, strided<[2048, 1024, 32, 1]>>) outs(%out : memref<6x8x28x28xf32>) attrs = {hebb.window = "conv"} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    linalg.yield %o : f32
  }
  return
}
