//===- Generate.h - text from a byte-level language model -------*- C++ -*-===//
//
// `run --generate N` of hebb and of compiled programs: a model whose one
// input is i32 token ids [T] per sample, each a byte of text, and whose
// output is logits over bytes, [T, V] (one prediction per position) or [V]
// (the next byte), V ≤ 256.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_DRIVER_GENERATE_H
#define HEBB_RUNTIME_DRIVER_GENERATE_H

#include "hebb/model.h"

#include "driver/Flags.h"

#include <cstdint>
#include <string>

namespace hebb::driver {

struct GenerateOptions {
  std::string prompt;
  int64_t count = 0;        ///< bytes to generate
  double temperature = 1.0; ///< 0: always the likeliest byte
  uint64_t seed = 0;
};

/// The options of run's --generate, --prompt, --temperature and --seed.
GenerateOptions generateOptions(const flags::Parsed &args);

/// The prompt followed by `count` sampled bytes. Each step runs the model
/// on the last T bytes (bytes at or above V read as '?') and samples from
/// softmax(logits / temperature) of the last position. While the text is
/// shorter than T, a model predicting at every position (a causal one)
/// reads it from the window's start and predicts from its last byte; a
/// model predicting one next byte reads it after '\n's. Every sample
/// of a batch gets the same text; the first is read. Throws
/// std::runtime_error, naming the model, when its shapes do not fit.
std::string generateText(hebb_model *ctx, const GenerateOptions &options);

} // namespace hebb::driver

#endif // HEBB_RUNTIME_DRIVER_GENERATE_H
