// Every optimizer of ir/Optimizers.def, with only its kind given: state
// slots as PyTorch names them and PyTorch's default hyper-parameters.
// RUN: hebb-opt %s -split-input-file -hebb-optimizer -canonicalize -cse | FileCheck %s

// sgd without momentum (PyTorch's default 0) keeps no state: p - lr g.
// CHECK-LABEL: func @train_step(%arg0: tensor<4x3xf32>, %arg1: tensor<2x3xf32>, %arg2: tensor<f32>, %arg3: tensor<f32>) -> (tensor<f32>, tensor<2x3xf32>)
// CHECK-SAME: hebb.state = [], hebb.state_params = []
// CHECK: %[[STEP:.*]] = hebb.mul %{{.*}}, %{{.*}} : tensor<2x3xf32>
// CHECK: hebb.sub %arg1, %[[STEP]]
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "sgd"}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// momentum: mu = 0.9 by default, one slot named as PyTorch's.
// CHECK-LABEL: func @train_step
// CHECK-SAME: hebb.state = ["w.momentum_buffer"], hebb.state_params = ["w"]
// CHECK: hebb.constant dense<0.899999976> : tensor<2x3xf32>
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "momentum"}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// CHECK-LABEL: func @train_step
// CHECK-SAME: hebb.state = ["w.momentum_buffer"]
// CHECK: %[[MU:.*]] = hebb.constant dense<0.899999976> : tensor<2x3xf32>
// CHECK: %[[BUF:.*]] = hebb.add
// CHECK: %[[LOOK:.*]] = hebb.mul %[[BUF]], %[[MU]]
// CHECK: hebb.add %{{.*}}, %[[LOOK]]
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "nesterov"}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// rmsprop: rho 0.99, eps 1e-8 (PyTorch's; Keras' would be 0.9 and 1e-7).
// CHECK-LABEL: func @train_step
// CHECK-SAME: hebb.state = ["w.square_avg"]
// CHECK-DAG: hebb.constant dense<9.99999993E-9> : tensor<2x3xf32>
// CHECK-DAG: hebb.constant dense<9.900000e-01> : tensor<2x3xf32>
// CHECK-DAG: hebb.constant dense<0.00999999977> : tensor<2x3xf32>
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "rmsprop"}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// adam: beta1 0.9, beta2 0.999, eps 1e-8, with bias correction by step.
// CHECK-LABEL: func @train_step
// CHECK-SAME: hebb.state = ["w.exp_avg", "w.exp_avg_sq"], hebb.state_params = ["w", "w"]
// CHECK-DAG: hebb.constant dense<9.99999993E-9> : tensor<2x3xf32>
// CHECK-DAG: %[[B1:.*]] = hebb.constant dense<0.899999976> : tensor<f32>
// CHECK-DAG: %[[B2:.*]] = hebb.constant dense<9.990000e-01> : tensor<f32>
// CHECK-DAG: hebb.pow %[[B1]], %arg5
// CHECK-DAG: hebb.pow %[[B2]], %arg5
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "adam"}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// CHECK-LABEL: func @train_step
// CHECK-SAME: hebb.state = ["w.sum"]
// CHECK: hebb.constant dense<1.000000e-10> : tensor<2x3xf32>
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "adagrad"}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// adadelta: rho 0.9, eps 1e-6.
// CHECK-LABEL: func @train_step
// CHECK-SAME: hebb.state = ["w.square_avg", "w.acc_delta"]
// CHECK-DAG: hebb.constant dense<9.99999997E-7> : tensor<2x3xf32>
// CHECK-DAG: hebb.constant dense<0.899999976> : tensor<2x3xf32>
func.func @loss(%x: tensor<4x3xf32>, %w: tensor<2x3xf32> {hebb.param = "w"}) -> tensor<f32>
    attributes {hebb.optimizer = {kind = "adadelta"}} {
  %z = hebb.matmul %x, %w {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// No hebb.optimizer dictionary: the pass's option names the optimizer.
// RUN: hebb-opt %s -split-input-file -hebb-optimizer=optimizer=adam | FileCheck %s --check-prefix=OPTION
// OPTION: hebb.state = ["v.exp_avg", "v.exp_avg_sq"]
func.func @loss(%x: tensor<4x3xf32>, %v: tensor<2x3xf32> {hebb.param = "v"}) -> tensor<f32> {
  %z = hebb.matmul %x, %v {transpose_rhs = true} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
  %l = hebb.reduce_sum %z {axes = array<i64: 0, 1>} : tensor<4x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}
