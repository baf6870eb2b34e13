//===- fuzz_npy.cpp - .npy files ------------------------------------------===//

#include "FuzzFile.h"

#include "hebb/runtime.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = hebb::fuzz::asFile(data, size, ".npy");
  hebb_tensor t;
  if (hebb_npy_read(path.c_str(), &t) == HEBB_OK)
    hebb_tensor_free(&t);
  return 0;
}
