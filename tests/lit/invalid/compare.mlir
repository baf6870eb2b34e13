// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @shapes(%x: tensor<4xf32>, %y: tensor<5xf32>) {
  // expected-error @+1 {{operands must have the same shape and element type, got 'tensor<4xf32>' and 'tensor<5xf32>'}}
  %0 = "hebb.compare"(%x, %y) {predicate = 0 : i32} : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xi1>
  return
}

// -----

func.func @predicate(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'predicate' [eq, ne, lt, le, gt, ge]}}
  %0 = hebb.compare bigger, %x, %x : tensor<4xf32>
  return
}
