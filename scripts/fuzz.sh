#!/usr/bin/env bash
# Runs libFuzzer targets: first over their seed corpus (every file must pass),
# then for SECONDS each from a copy of it (new inputs stay out of the tree).
# A crash leaves its input in WORK and fails the run.
#   fuzz.sh BIN_DIR CORPUS_DIR SECONDS TARGET...
set -euo pipefail
bin=$1 corpus=$2 seconds=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "$@"; do
  mkdir -p "$work/$t"
  cp -r "$corpus/$t/." "$work/$t/"
  "$bin/fuzz_$t" -runs=0 "$corpus/$t" 2>&1 | tail -1
  "$bin/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/$t-" "$work/$t" 2>&1 |
    grep -E "^stat::number_of_executed_units|^==[0-9]+==ERROR|SUMMARY" |
    sed "s/^/$t: /"
done
