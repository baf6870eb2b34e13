#!/usr/bin/env bash
# `make demo-text`: the sequence samples on Debian's fortunes quotations.
# DEMO_STEPS (default 1000) training steps each; data and weights go to
# $BUILD/fortunes.
set -euo pipefail
BUILD=${1:-build}
STEPS=${DEMO_STEPS:-1000}
HEBB="$BUILD/tools/hebb"
D="$BUILD/fortunes"
python3 samples/text/fortunes.py lm "$D"
python3 samples/text/fortunes.py topics "$D"
LM=(--data-x "$D/lm_train_x.npy" --data-y "$D/lm_train_y.npy"
    --test-x "$D/lm_test_x.npy" --test-y "$D/lm_test_y.npy")

for m in char_lstm char_transformer; do
  echo
  echo "== $m: next-byte prediction, $STEPS steps of 32 windows of 64 bytes;"
  echo "   held-out loss in nats per byte (bits per byte = nats / ln 2)"
  "$HEBB" train "samples/$m.json" "${LM[@]}" --steps "$STEPS" --save "$D/$m.safetensors"
  echo "-- sampled from $m (temperature 0.8):"
  "$HEBB" run "samples/$m.json" --init "$D/$m.safetensors" --generate 240 \
    --prompt "The " --temperature 0.8 --seed 1
done

echo
echo "== topic_gru: which of six topic files a quotation comes from (a GRU over"
echo "   the first 128 bytes, padding masked); majority class: 0.2439"
"$HEBB" train samples/topic_gru.json --epochs 3 \
  --data-x "tokens=$D/topics_train_tokens.npy" --data-x "mask=$D/topics_train_mask.npy" \
  --data-y "$D/topics_train_y.npy" \
  --test-x "tokens=$D/topics_test_tokens.npy" --test-x "mask=$D/topics_test_mask.npy" \
  --test-y "$D/topics_test_y.npy"
