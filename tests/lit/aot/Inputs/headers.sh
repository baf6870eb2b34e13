#!/usr/bin/env bash
# Compiles every sample's generated header as strict C99 and as C++11.
# usage: headers.sh SOURCE_DIR WORK_DIR CC RUNTIME_INCLUDE
set -euo pipefail
src=$1 work=$2 cc=$3 inc=$4
mkdir -p "$work"
for model in "$src"/samples/*.json; do
  name=$(basename "$model" .json)
  hebb compile "$model" --emit=header -o "$work/$name.h"
  printf '#include "%s.h"\nint main(void) { return 0; }\n' "$name" > "$work/$name.c"
  "$cc" -std=c99 -Wall -Wextra -pedantic -Werror -I"$inc" -I"$work" -c "$work/$name.c" -o "$work/$name.o"
  cp "$work/$name.c" "$work/$name.cpp"
  "$cc" -x c++ -std=c++11 -Wall -Wextra -pedantic -Werror -I"$inc" -I"$work" -c "$work/$name.cpp" -o "$work/$name.o"
  echo "ok $name"
done
