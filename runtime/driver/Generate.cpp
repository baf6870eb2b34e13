//===- Generate.cpp - text from a byte-level language model ---------------===//

#include "Generate.h"

#include "hebb/runtime.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace {

hebb_tensor_info info(hebb_model *ctx, hebb_role role, int64_t i) {
  hebb_tensor_info t;
  if (hebb_model_tensor_info(ctx, role, i, &t) != HEBB_OK)
    throw std::runtime_error(hebb_last_error());
  return t;
}

/// A uniform draw in [0, 1) for draw `n` of `seed` (Philox, as dropout).
double uniform(uint64_t seed, uint64_t n) {
  uint32_t words[4];
  hebb_philox4x32(seed, 0, n, words);
  return (words[0] >> 8) * (1.0 / 16777216.0);
}

/// The next byte from `logits` [V].
int sample(const float *logits, int64_t v, double temperature, double u) {
  const float *best = std::max_element(logits, logits + v);
  if (temperature <= 0)
    return int(best - logits);
  std::vector<double> p(size_t(v), 0.0);
  double sum = 0;
  for (int64_t i = 0; i < v; ++i)
    sum += p[size_t(i)] = std::exp((logits[i] - *best) / temperature);
  double target = u * sum;
  for (int64_t i = 0; i < v; ++i) {
    target -= p[size_t(i)];
    if (target < 0)
      return int(i);
  }
  return int(best - logits);
}

} // namespace

hebb::driver::GenerateOptions
hebb::driver::generateOptions(const flags::Parsed &a) {
  GenerateOptions o;
  o.count = a.integer("generate", 0, 1, int64_t(1) << 24);
  o.prompt = a.get("prompt");
  o.temperature = a.number("temperature", 1.0, 0.0, 100.0);
  o.seed = uint64_t(a.integer("seed", 0, 0, INT64_MAX));
  return o;
}

std::string hebb::driver::generateText(hebb_model *ctx,
                                       const GenerateOptions &o) {
  const std::string name = hebb_model_name(ctx);
  hebb_tensor_info in = info(ctx, HEBB_ROLE_INPUT, 0);
  hebb_tensor_info out = info(ctx, HEBB_ROLE_OUTPUT, 0);
  if (hebb_model_count(ctx, HEBB_ROLE_INPUT) != 1 || in.dtype != HEBB_I32 ||
      in.rank != 2)
    throw std::runtime_error(
        name + ": --generate needs a model with one input of token ids, "
               "i32 [T] per sample");
  const int64_t batch = in.shape[0], steps = in.shape[1];
  const bool perPosition = out.rank == 3 && out.shape[1] == steps;
  if (out.dtype != HEBB_F32 || !(out.rank == 2 || perPosition) ||
      out.shape[out.rank - 1] > 256)
    throw std::runtime_error(
        name + ": --generate needs logits over at most 256 bytes, [T, V] or "
               "[V] per sample");
  const int64_t vocab = out.shape[out.rank - 1];
  const int64_t outRow = perPosition ? steps * vocab : vocab;
  std::vector<int32_t> ids(size_t(batch * steps));
  std::vector<float> logits(size_t(batch * outRow));
  std::string text = o.prompt;
  for (int64_t n = 0; n < o.count; ++n) {
    // A text shorter than the window starts it when each position
    // predicts the next (a causal model); else it ends it.
    const int64_t size = int64_t(text.size());
    const int64_t first = perPosition && size < steps ? 0 : size - steps,
                  last = perPosition ? std::min(size, steps) - 1 : steps - 1;
    if (size == 0 && perPosition)
      throw std::runtime_error(name + ": --generate needs a --prompt to "
                                      "continue");
    for (int64_t t = 0; t < steps; ++t) {
      int64_t at = first + t;
      int id = at < 0 || at >= size ? '\n' : (unsigned char)text[size_t(at)];
      ids[size_t(t)] = id < vocab ? id : '?';
    }
    for (int64_t b = 1; b < batch; ++b)
      std::copy(ids.begin(), ids.begin() + steps, ids.begin() + b * steps);
    const void *inputs[1] = {ids.data()};
    void *outputs[1] = {logits.data()};
    if (hebb_model_infer(ctx, inputs, outputs) != HEBB_OK)
      throw std::runtime_error(hebb_last_error());
    const float *row = logits.data() + (perPosition ? last * vocab : 0);
    text += char(sample(row, vocab, o.temperature, uniform(o.seed, n)));
  }
  return text;
}
