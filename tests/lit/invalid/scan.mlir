// RUN: hebb-opt %s -split-input-file -verify-diagnostics

func.func @no_sequence(%h: tensor<2xf32>) {
  // expected-error @+1 {{'hebb.scan' op needs at least one sequence to scan}}
  %r = hebb.scan () carry (%h) with () {
  ^bb0(%c: tensor<2xf32>):
    hebb.yield %c : tensor<2xf32>
  } : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @lengths(%a: tensor<3x2xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+1 {{'hebb.scan' op sequences must share a leading axis, got 'tensor<4x2xf32>'}}
  %r = hebb.scan (%a, %b) carry () with () {
  ^bb0(%x: tensor<2xf32>, %y: tensor<2xf32>):
    hebb.yield %x : tensor<2xf32>
  } : (tensor<3x2xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @arguments(%a: tensor<3x2xf32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'hebb.scan' op body arguments must be a step of each sequence, the carries and the invariants, in that order}}
  %r:2 = hebb.scan (%a) carry (%h) with () {
  ^bb0(%x: tensor<3x2xf32>, %c: tensor<2xf32>):
    hebb.yield %c, %c : tensor<2xf32>, tensor<2xf32>
  } : (tensor<3x2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>)
  return
}

// -----

func.func @carry_type(%a: tensor<3x2xf32>, %h: tensor<2xf32>) {
  // expected-error @+1 {{'hebb.scan' op carry #0 is yielded as 'tensor<3xf32>', not its own type}}
  %r:2 = hebb.scan (%a) carry (%h) with () {
  ^bb0(%x: tensor<2xf32>, %c: tensor<2xf32>):
    %w = hebb.constant dense<1.0> : tensor<3xf32>
    hebb.yield %c, %w : tensor<2xf32>, tensor<3xf32>
  } : (tensor<3x2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, tensor<2xf32>)
  return
}

// -----

func.func @stacked(%a: tensor<3x2xf32>) {
  // expected-error @+1 {{'hebb.scan' op result #0 must be 'tensor<3x2xf32>'}}
  %r = hebb.scan (%a) carry () with () {
  ^bb0(%x: tensor<2xf32>):
    hebb.yield %x : tensor<2xf32>
  } : (tensor<3x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @yields(%a: tensor<3x2xf32>) {
  // expected-error @+1 {{'hebb.scan' op body must yield one value per result}}
  %r = hebb.scan (%a) carry () with () {
  ^bb0(%x: tensor<2xf32>):
    hebb.yield %x, %x : tensor<2xf32>, tensor<2xf32>
  } : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @random(%a: tensor<3x2xf32>) {
  // expected-error @+1 {{'hebb.scan' op body draws random numbers, which every step would repeat}}
  %r = hebb.scan (%a) carry () with () {
  ^bb0(%x: tensor<2xf32>):
    %d = hebb.dropout %x {rate = 0.5} : tensor<2xf32>
    hebb.yield %d : tensor<2xf32>
  } : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @captures(%a: tensor<3x2xf32>, %b: tensor<2xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %r = hebb.scan (%a) carry () with () {
  ^bb0(%x: tensor<2xf32>):
    // expected-error @+1 {{using value defined outside the region}}
    %s = hebb.add %x, %b : tensor<2xf32>
    hebb.yield %s : tensor<2xf32>
  } : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return
}
