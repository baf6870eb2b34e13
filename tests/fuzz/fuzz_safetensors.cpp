//===- fuzz_safetensors.cpp - safetensors headers and data ----------------===//

#include "hebb/runtime.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  hebb_safetensors *file = nullptr;
  if (hebb_safetensors_open_memory(data, size, "fuzz", &file) != HEBB_OK)
    return 0;
  for (size_t i = 0, n = hebb_safetensors_count(file); i < n; ++i) {
    hebb_tensor t;
    if (hebb_safetensors_get(file, hebb_safetensors_name(file, i), &t) ==
        HEBB_OK)
      hebb_tensor_free(&t);
  }
  hebb_safetensors_close(file);
  return 0;
}
