#!/usr/bin/env bash
# `make demo`: compile and run the textbook samples on built-in inputs.
set -euo pipefail
BUILD=${1:-build}
HEBB="$BUILD/tools/hebb"
TRUTH='[[0,0],[0,1],[1,0],[1,1]]'

echo "== perceptron: y = sigmoid(1 + 3*x1 - 2*x2) on the four corners of the unit square"
"$HEBB" run samples/perceptron.json --input "x=$TRUTH"
echo
echo "== XOR: a 2-2-1 sigmoid network with hand-set weights (expect 0 1 1 0)"
"$HEBB" run samples/xor.json --input "x=$TRUTH"
echo
echo "== MNIST MLP 784-512-512-10: compile to LLVM IR (vectorised) and time it"
"$HEBB" compile samples/mnist_mlp.json --emit=llvm --time -o "$BUILD/mnist_mlp.ll"
echo "vector instructions in $BUILD/mnist_mlp.ll: $(grep -c 'x float>' "$BUILD/mnist_mlp.ll")"
echo
echo "== The Keras MNIST MLP (784-512-512-10, dropout 0.2, RMSprop) on Fashion-MNIST:"
echo "   one epoch of compiled training steps, then the test set (10,000 images)"
"$HEBB" train samples/keras_mnist_mlp.json --epochs 1
echo
echo "== LeNet-5 (conv 5x5, max-pool, conv 5x5, max-pool, 400-120-84-10) on Fashion-MNIST:"
echo "   one epoch of SGD with momentum, then the test set"
"$HEBB" train samples/lenet.json --epochs 1
