#!/usr/bin/env bash
# Installs hebb into a temporary prefix, builds samples/embed out of tree
# with find_package(hebb) + hebb_add_model, runs the C and C++ programs and
# checks they end with exactly the parameters the JIT path (`hebb train`)
# reaches from the same seed, data and steps (dropout included).
#
#   embed_test.sh BUILD_DIR SOURCE_DIR C_COMPILER CXX_COMPILER
set -euo pipefail
BUILD=$1 SRC=$2 CC=$3 CXX=$4
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PY=python3

cmake --install "$BUILD" --prefix "$WORK/prefix" >/dev/null
cmake -G Ninja -S "$SRC/samples/embed" -B "$WORK/embed" -DCMAKE_PREFIX_PATH="$WORK/prefix" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" >/dev/null
cmake --build "$WORK/embed" >/dev/null

# No undefined symbols left once linked against the installed libhebbrt.
for exe in mlp_c mlp_cpp; do
  if ldd -r "$WORK/embed/$exe" 2>&1 | grep -q 'undefined symbol'; then
    echo "FAIL $exe has undefined symbols"; ldd -r "$WORK/embed/$exe"; exit 1
  fi
done

$PY "$SRC/tests/tools/npy.py" random "$WORK/x.npy" f32 300,784 5 0 1
$PY "$SRC/tests/tools/npy.py" random "$WORK/y.npy" i32 300 6 0 9.99
"$WORK/embed/mlp_c" "$WORK/x.npy" "$WORK/y.npy" 6 7 "$WORK/c.safetensors"
"$WORK/embed/mlp_cpp" "$WORK/x.npy" "$WORK/y.npy" 6 7 "$WORK/cpp.safetensors"
"$WORK/prefix/bin/hebb" train "$SRC/samples/keras_mnist_mlp.json" --data-x "$WORK/x.npy" \
  --data-y "$WORK/y.npy" --steps 6 --no-shuffle --seed 7 --cpu x86-64-v3 --quiet \
  --save "$WORK/jit.safetensors"
$PY "$SRC/tests/tools/stcompare.py" "$WORK/c.safetensors" "$WORK/jit.safetensors" 1e-6
$PY "$SRC/tests/tools/stcompare.py" "$WORK/cpp.safetensors" "$WORK/jit.safetensors" 1e-6
echo "ok   embedded C and C++ programs match the JIT"

# EMBED_WEIGHTS: the JIT's trained weights compiled into the object give
# the same first output as the C program that trained them.
cmake -S "$SRC/samples/embed" -B "$WORK/embed" -DMNIST_MLP_WEIGHTS="$WORK/jit.safetensors" >/dev/null
cmake --build "$WORK/embed" >/dev/null
want=$("$WORK/embed/mlp_c" "$WORK/x.npy" "$WORK/y.npy" 6 7 "$WORK/c2.safetensors" | sed 's/.* p0 //')
got=$("$WORK/embed/infer_embedded" "$WORK/x.npy" | sed 's/p0 //')
if [ "$want" != "$got" ]; then
  echo "FAIL embedded weights: p0 $got, trained program p0 $want"; exit 1
fi
echo "ok   EMBED_WEIGHTS: inference from compiled-in weights matches ($got)"

# Every optimizer (Adam's bias correction calls powf: libm), with gcc and
# clang, against the shared and the static libhebbrt.
MODELS="$WORK/models"
mkdir -p "$MODELS"
{
  echo 'cmake_minimum_required(VERSION 3.20)'
  echo 'project(optimizers LANGUAGES C)'
  echo 'find_package(hebb REQUIRED)'
} > "$MODELS/CMakeLists.txt"
for opt in sgd momentum nesterov rmsprop adam adagrad adadelta; do
  sed "s/\"kind\": \"adam\", \"lr\": 0.05/\"kind\": \"$opt\", \"lr\": 0.05/" \
    "$SRC/samples/xor_train.json" > "$MODELS/xor_$opt.json"
  sed "s/xor_train/xor_$opt/g; s/XOR_TRAIN/XOR_$(echo $opt | tr a-z A-Z)/g" \
    "$SRC/tests/lit/aot/Inputs/xor_main.c" > "$MODELS/main_$opt.c"
  cat >> "$MODELS/CMakeLists.txt" <<CMAKE
hebb_add_model(TARGET xor_$opt MODEL \${CMAKE_CURRENT_SOURCE_DIR}/xor_$opt.json \${LINKAGE})
add_executable(main_$opt main_$opt.c)
target_link_libraries(main_$opt PRIVATE xor_$opt)
CMAKE
done
for compiler in gcc clang-16; do
  for linkage in "" STATIC; do
    dir="$WORK/opt-$compiler-${linkage:-shared}"
    cmake -G Ninja -S "$MODELS" -B "$dir" -DCMAKE_PREFIX_PATH="$WORK/prefix" \
      -DCMAKE_C_COMPILER="$compiler" -DLINKAGE="$linkage" >/dev/null
    cmake --build "$dir" >/dev/null
    for opt in sgd momentum nesterov rmsprop adam adagrad adadelta; do
      "$dir/main_$opt" 1 3 "$dir/$opt.safetensors" >/dev/null
    done
    echo "ok   $compiler ${linkage:-shared}: every optimizer links and trains"
  done
done
