//===- Init.cpp - parameter initialisers and the Philox generator ---------===//
//
// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2,
// 3", SC'11). Element i of a tensor uses counter (stream, i / 2): each call
// gives four words, two per element (uniforms use the first; normals use a
// Box-Muller pair), so any element can be computed independently.
//
//===----------------------------------------------------------------------===//

#include "Status.h"

#include <cmath>

using namespace hebb::rt;

extern "C" void hebb_philox4x32(uint64_t key, uint64_t counterHi,
                                uint64_t counterLo, uint32_t out[4]) {
  uint32_t c0 = (uint32_t)counterLo, c1 = (uint32_t)(counterLo >> 32);
  uint32_t c2 = (uint32_t)counterHi, c3 = (uint32_t)(counterHi >> 32);
  uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = (uint64_t)0xD2511F53u * c0;
    uint64_t p1 = (uint64_t)0xCD9E8D57u * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c1 = (uint32_t)p1;
    c3 = (uint32_t)p0;
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

namespace {
/// Uniform in (0, 1): 24 random bits, never 0 so log() is safe.
double unit(uint32_t word) { return ((word >> 8) + 0.5) / 16777216.0; }

double draw(uint64_t seed, uint64_t stream, int64_t i, bool normal) {
  uint32_t w[4];
  hebb_philox4x32(seed, stream, (uint64_t)i, w);
  if (!normal)
    return unit(w[0]);
  double u1 = unit(w[0]), u2 = unit(w[1]);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}
} // namespace

extern "C" hebb_status hebb_init_fill(hebb_tensor *t, const hebb_init *init,
                                      uint64_t seed, uint64_t stream) {
  if (!t || !init || (!t->data && hebb_tensor_numel(t) > 0))
    return fail(HEBB_ERR_INVALID_ARGUMENT, "init: null argument");
  if (t->dtype != HEBB_F32)
    return fail(HEBB_ERR_DTYPE, "init: only f32 tensors can be initialised");
  double fanIn = (double)std::max<int64_t>(init->fan_in, 1);
  double fanOut = (double)std::max<int64_t>(init->fan_out, 1);
  double lo = 0, hi = 0, mean = 0, std = 0;
  bool uniform = true, random = true;
  switch (init->kind) {
  case HEBB_INIT_ZEROS:
    random = false;
    lo = 0;
    break;
  case HEBB_INIT_ONES:
    random = false;
    lo = 1;
    break;
  case HEBB_INIT_CONSTANT:
    random = false;
    lo = init->a;
    break;
  case HEBB_INIT_UNIFORM:
    lo = init->a;
    hi = init->b;
    break;
  case HEBB_INIT_NORMAL:
    uniform = false;
    mean = init->a;
    std = init->b;
    break;
  case HEBB_INIT_GLOROT_UNIFORM:
    hi = std::sqrt(6.0 / (fanIn + fanOut));
    lo = -hi;
    break;
  case HEBB_INIT_GLOROT_NORMAL:
    uniform = false;
    std = std::sqrt(2.0 / (fanIn + fanOut));
    break;
  case HEBB_INIT_HE_UNIFORM:
    hi = std::sqrt(6.0 / fanIn);
    lo = -hi;
    break;
  case HEBB_INIT_HE_NORMAL:
    uniform = false;
    std = std::sqrt(2.0 / fanIn);
    break;
  case HEBB_INIT_TORCH_DEFAULT:
    hi = 1.0 / std::sqrt(fanIn);
    lo = -hi;
    break;
  default:
    return fail(HEBB_ERR_INVALID_ARGUMENT, "init: unknown kind");
  }
  float *data = (float *)t->data;
  int64_t n = hebb_tensor_numel(t);
  for (int64_t i = 0; i < n; ++i) {
    if (!random)
      data[i] = (float)lo;
    else if (uniform)
      data[i] = (float)(lo + (hi - lo) * draw(seed, stream, i, false));
    else
      data[i] = (float)(mean + std * draw(seed, stream, i, true));
  }
  return HEBB_OK;
}
