//===- fuzz_data.cpp - IDX (raw and gzip) and CSV data files --------------===//
//
// The first byte picks the reader: even, a file without suffix (IDX, gzip'd
// or raw, by its bytes); odd, a .csv file.
//
//===----------------------------------------------------------------------===//

#include "FuzzFile.h"

#include "hebb/data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  std::string path =
      hebb::fuzz::asFile(data + 1, size - 1, data[0] % 2 ? ".csv" : ".idx");
  hebb_tensor t;
  if (hebb_data_read(path.c_str(), &t) == HEBB_OK)
    hebb_tensor_free(&t);
  return 0;
}
