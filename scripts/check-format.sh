#!/usr/bin/env bash
# Fails when a C or C++ source differs from what clang-format-16 (LLVM
# style, .clang-format) makes of it; `scripts/check-format.sh --fix`
# rewrites them. Exit 77 (a skip) without clang-format-16.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format-16 >/dev/null || { echo "skipped: no clang-format-16"; exit 77; }
mapfile -t files < <(git ls-files '*.c' '*.cpp' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format-16 -i "${files[@]}"
else
  clang-format-16 --dry-run -Werror "${files[@]}"
fi
