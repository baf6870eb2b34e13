//===- Tensor.cpp - tensor buffers ----------------------------------------===//

#include "Status.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace hebb::rt;

/// No single tensor may exceed this many bytes (64 GiB).
static constexpr int64_t kMaxTensorBytes = int64_t(1) << 36;

extern "C" size_t hebb_dtype_size(hebb_dtype dtype) {
  switch (dtype) {
  case HEBB_F32:
  case HEBB_I32:
    return 4;
  case HEBB_F64:
  case HEBB_I64:
    return 8;
  case HEBB_U8:
  case HEBB_I8:
  case HEBB_BOOL:
    return 1;
  }
  return 0;
}

extern "C" const char *hebb_dtype_name(hebb_dtype dtype) {
  switch (dtype) {
  case HEBB_F32:
    return "F32";
  case HEBB_F64:
    return "F64";
  case HEBB_I32:
    return "I32";
  case HEBB_I64:
    return "I64";
  case HEBB_U8:
    return "U8";
  case HEBB_I8:
    return "I8";
  case HEBB_BOOL:
    return "BOOL";
  }
  return "?";
}

extern "C" int64_t hebb_tensor_numel(const hebb_tensor *t) {
  int64_t n = 1;
  for (int32_t i = 0; t && i < t->rank; ++i)
    n *= t->shape[i];
  return n;
}

extern "C" size_t hebb_tensor_nbytes(const hebb_tensor *t) {
  return t ? (size_t)hebb_tensor_numel(t) * hebb_dtype_size(t->dtype) : 0;
}

extern "C" hebb_status hebb_tensor_alloc(hebb_tensor *t, hebb_dtype dtype,
                                         int32_t rank, const int64_t *shape) {
  if (!t || rank < 0 || rank > HEBB_MAX_RANK || (rank > 0 && !shape))
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                "tensor: rank must be 0.." + std::to_string(HEBB_MAX_RANK));
  size_t elem = hebb_dtype_size(dtype);
  if (elem == 0)
    return fail(HEBB_ERR_DTYPE, "tensor: unknown dtype");
  int64_t numel;
  if (!checkedNumel(rank, shape, kMaxTensorBytes / (int64_t)elem, numel))
    return fail(HEBB_ERR_NO_MEMORY, "tensor: size too large or negative");
  size_t bytes = (size_t)numel * elem;
  size_t rounded = (bytes + 63) / 64 * 64;
  void *data = std::aligned_alloc(64, rounded ? rounded : 64);
  if (!data)
    return fail(HEBB_ERR_NO_MEMORY,
                "tensor: cannot allocate " + std::to_string(bytes) + " bytes");
  std::memset(data, 0, rounded ? rounded : 64);
  t->dtype = dtype;
  t->rank = rank;
  for (int32_t i = 0; i < HEBB_MAX_RANK; ++i)
    t->shape[i] = i < rank ? shape[i] : 0;
  t->data = data;
  return HEBB_OK;
}

extern "C" void hebb_tensor_free(hebb_tensor *t) {
  if (!t)
    return;
  std::free(t->data);
  t->data = nullptr;
}

namespace {
double load(const hebb_tensor *t, int64_t i) {
  switch (t->dtype) {
  case HEBB_F32:
    return ((const float *)t->data)[i];
  case HEBB_F64:
    return ((const double *)t->data)[i];
  case HEBB_I32:
    return ((const int32_t *)t->data)[i];
  case HEBB_I64:
    return (double)((const int64_t *)t->data)[i];
  case HEBB_U8:
    return ((const uint8_t *)t->data)[i];
  case HEBB_I8:
    return ((const int8_t *)t->data)[i];
  case HEBB_BOOL:
    return ((const uint8_t *)t->data)[i] != 0;
  }
  return 0;
}

bool isInteger(hebb_dtype d) { return d != HEBB_F32 && d != HEBB_F64; }

bool fits(double v, hebb_dtype d) {
  switch (d) {
  case HEBB_I32:
    return v >= INT32_MIN && v <= INT32_MAX;
  case HEBB_I64:
    return v >= -9.2e18 && v <= 9.2e18;
  case HEBB_U8:
    return v >= 0 && v <= 255;
  case HEBB_I8:
    return v >= -128 && v <= 127;
  default:
    return true;
  }
}

void store(hebb_tensor *t, int64_t i, double v) {
  switch (t->dtype) {
  case HEBB_F32:
    ((float *)t->data)[i] = (float)v;
    return;
  case HEBB_F64:
    ((double *)t->data)[i] = v;
    return;
  case HEBB_I32:
    ((int32_t *)t->data)[i] = (int32_t)v;
    return;
  case HEBB_I64:
    ((int64_t *)t->data)[i] = (int64_t)v;
    return;
  case HEBB_U8:
    ((uint8_t *)t->data)[i] = (uint8_t)v;
    return;
  case HEBB_I8:
    ((int8_t *)t->data)[i] = (int8_t)v;
    return;
  case HEBB_BOOL:
    ((uint8_t *)t->data)[i] = v != 0;
    return;
  }
}
} // namespace

extern "C" hebb_status hebb_tensor_convert(const hebb_tensor *src,
                                           hebb_dtype dtype, hebb_tensor *dst) {
  if (!src || !dst || !src->data)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "tensor convert: null tensor");
  hebb_tensor out;
  if (hebb_status s = hebb_tensor_alloc(&out, dtype, src->rank, src->shape))
    return s;
  int64_t n = hebb_tensor_numel(src);
  bool srcInt = isInteger(src->dtype);
  for (int64_t i = 0; i < n; ++i) {
    double v = load(src, i);
    if (isInteger(dtype) && (!srcInt && v != std::floor(v))) {
      hebb_tensor_free(&out);
      return fail(HEBB_ERR_DTYPE,
                  "tensor convert: element " + std::to_string(i) + " (" +
                      std::to_string(v) + ") is not an integer");
    }
    if (!fits(v, dtype)) {
      hebb_tensor_free(&out);
      return fail(HEBB_ERR_DTYPE, "tensor convert: element " +
                                      std::to_string(i) + " (" +
                                      std::to_string(v) + ") does not fit " +
                                      hebb_dtype_name(dtype));
    }
    store(&out, i, v);
  }
  *dst = out;
  return HEBB_OK;
}
