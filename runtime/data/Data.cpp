//===- Data.cpp - IDX, CSV and .npy dataset files
//--------------------------===//

#include "hebb/data.h"

#include "../Status.h"

#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace hebb::rt;

namespace {

constexpr int64_t kMaxBytes = int64_t(1) << 34;

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

/// Reads a whole file, inflating it if it is gzip'd (zlib reads plain files
/// unchanged).
hebb_status readMaybeGzip(const std::string &path, std::string &bytes) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f)
    return fail(HEBB_ERR_IO,
                path + ": cannot open (" + std::strerror(errno) + ")");
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) {
    bytes.append(buf, n);
    if ((int64_t)bytes.size() > kMaxBytes) {
      gzclose(f);
      return fail(HEBB_ERR_NO_MEMORY, path + ": larger than 16 GiB");
    }
  }
  int err = 0;
  const char *msg = gzerror(f, &err);
  bool bad = n < 0 || (err != Z_OK && err != Z_STREAM_END);
  std::string why = bad ? std::string(msg ? msg : "read error") : "";
  gzclose(f);
  if (bad)
    return fail(HEBB_ERR_FORMAT,
                path + ": truncated or corrupt compressed data (" + why + ")");
  return HEBB_OK;
}

hebb_status readIdx(const std::string &path, const std::string &b,
                    hebb_tensor *out) {
  if (b.size() < 4 || b[0] != 0 || b[1] != 0)
    return fail(HEBB_ERR_FORMAT, path + ": not an IDX file (bad magic number)");
  unsigned type = (unsigned char)b[2], rank = (unsigned char)b[3];
  hebb_dtype dtype;
  switch (type) {
  case 0x08:
    dtype = HEBB_U8;
    break;
  case 0x09:
    dtype = HEBB_I8;
    break;
  case 0x0C:
    dtype = HEBB_I32;
    break;
  case 0x0D:
    dtype = HEBB_F32;
    break;
  case 0x0E:
    dtype = HEBB_F64;
    break;
  default:
    return fail(HEBB_ERR_FORMAT, path + ": IDX element type 0x" +
                                     std::to_string(type) +
                                     " is not supported");
  }
  if (rank < 1 || rank > 8)
    return fail(HEBB_ERR_FORMAT, path + ": IDX rank " + std::to_string(rank) +
                                     " (expected 1 to 8)");
  if (b.size() < 4 + 4 * (size_t)rank)
    return fail(HEBB_ERR_FORMAT, path + ": truncated IDX header");
  int64_t shape[8];
  for (unsigned i = 0; i < rank; ++i) {
    const unsigned char *p = (const unsigned char *)b.data() + 4 + 4 * i;
    shape[i] = (int64_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
  }
  if (hebb_status s = hebb_tensor_alloc(out, dtype, rank, shape))
    return fail(s, path + ": " + hebb_last_error());
  size_t width = hebb_dtype_size(dtype), count = hebb_tensor_numel(out);
  size_t offset = 4 + 4 * (size_t)rank;
  if (b.size() - offset != count * width) {
    hebb_tensor_free(out);
    return fail(HEBB_ERR_FORMAT,
                path + ": IDX data has " + std::to_string(b.size() - offset) +
                    " bytes, the header's shape needs " +
                    std::to_string(count * width) + " (truncated file?)");
  }
  unsigned char *dst = (unsigned char *)out->data;
  const unsigned char *src = (const unsigned char *)b.data() + offset;
  for (size_t i = 0; i < count; ++i) // big-endian to host (little-endian)
    for (size_t k = 0; k < width; ++k)
      dst[i * width + k] = src[i * width + width - 1 - k];
  return HEBB_OK;
}

/// The fields of one CSV row; `numbers` counts those that parse as one.
/// False when a field is not a number.
bool csvFields(const std::string &row, std::vector<float> &fields,
               int64_t &numbers) {
  bool all = true;
  numbers = 0;
  size_t start = 0;
  while (true) {
    size_t comma = row.find(',', start);
    std::string field = row.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    const char *p = field.c_str();
    char *after;
    double v = std::strtod(p, &after);
    while (*after == ' ' || *after == '\t')
      ++after;
    bool number = after != p && *after == 0;
    numbers += number;
    all = all && number;
    fields.push_back((float)v);
    if (comma == std::string::npos)
      return all;
    start = comma + 1;
  }
}

hebb_status readCsv(const std::string &path, std::string text,
                    hebb_tensor *out) {
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) // UTF-8 byte-order mark
    text.erase(0, 3);
  std::vector<float> values;
  int64_t columns = -1, rows = 0, line = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = std::min(text.find('\n', pos), text.size());
    std::string row = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!row.empty() && row.back() == '\r')
      row.pop_back();
    if (row.find_first_not_of(" \t") == std::string::npos)
      continue;
    std::vector<float> fields;
    int64_t numbers;
    if (!csvFields(row, fields, numbers)) {
      // A header names its columns: no field of it is a number.
      if (rows == 0 && columns < 0 && numbers == 0)
        continue;
      return fail(HEBB_ERR_FORMAT, path + ":" + std::to_string(line) +
                                       ": expected comma-separated numbers");
    }
    if (columns < 0)
      columns = fields.size();
    else if ((int64_t)fields.size() != columns)
      return fail(HEBB_ERR_FORMAT,
                  path + ":" + std::to_string(line) + ": " +
                      std::to_string(fields.size()) + " columns, expected " +
                      std::to_string(columns) + " like the first row");
    values.insert(values.end(), fields.begin(), fields.end());
    ++rows;
  }
  if (rows == 0)
    return fail(HEBB_ERR_FORMAT, path + ": no data rows");
  int64_t shape[2] = {rows, columns};
  if (hebb_status s =
          hebb_tensor_alloc(out, HEBB_F32, columns == 1 ? 1 : 2, shape))
    return fail(s, path + ": " + hebb_last_error());
  std::memcpy(out->data, values.data(), values.size() * sizeof(float));
  return HEBB_OK;
}

} // namespace

extern "C" hebb_status hebb_data_read(const char *path, hebb_tensor *out) {
  if (!path || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_data_read: null argument");
  std::string p = path;
  if (endsWith(p, ".npy"))
    return hebb_npy_read(path, out);
  std::string bytes;
  if (hebb_status s = readMaybeGzip(p, bytes))
    return s;
  if (endsWith(p, ".csv") || endsWith(p, ".csv.gz"))
    return readCsv(p, bytes, out);
  if (bytes.size() >= 6 && bytes.compare(0, 6, "\x93NUMPY") == 0)
    return fail(HEBB_ERR_FORMAT, p + ": a .npy file needs the .npy extension");
  return readIdx(p, bytes, out);
}
