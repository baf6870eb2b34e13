#!/usr/bin/env bash
# Installs every Debian 12 package hebb needs to build and test.
# Idempotent: quiet and fast when everything is already present.
set -euo pipefail

PKGS=(
  cmake ninja-build g++ make python3
  llvm-16-dev llvm-16-tools clang-16 libzstd-dev
  libmlir-16-dev mlir-16-tools
  nlohmann-json3-dev libgtest-dev libomp-16-dev clang-format-16
  libclang-rt-16-dev   # sanitizer and libFuzzer runtimes (make sanitize, make fuzz)
  zlib1g-dev libedit-dev libcurl4-openssl-dev
  python3-torch   # the PyTorch peer: cross-checks of training and benchmarks
  dataset-fashion-mnist   # the samples' default data (/usr/share/datasets)
  fortunes   # English quotations by topic: the sequence samples' text (/usr/share/games/fortunes)
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
