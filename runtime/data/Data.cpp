//===- Data.cpp - IDX, CSV and .npy dataset files
//--------------------------===//

#include "hebb/data.h"

#include "../Status.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

using namespace hebb::rt;

namespace {

constexpr int64_t kMaxBytes = int64_t(1) << 34;

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

/// What an inflated file may grow to, so a small compressed bomb fails
/// cleanly.
int64_t inflateLimit() { return std::min(kMaxBytes, hebb::rt::memoryLimit()); }

/// The element type of IDX type code `code`; false when unsupported.
bool idxType(unsigned code, hebb_dtype &dtype) {
  switch (code) {
  case 0x08:
    dtype = HEBB_U8;
    return true;
  case 0x09:
    dtype = HEBB_I8;
    return true;
  case 0x0C:
    dtype = HEBB_I32;
    return true;
  case 0x0D:
    dtype = HEBB_F32;
    return true;
  case 0x0E:
    dtype = HEBB_F64;
    return true;
  }
  return false;
}

/// The bytes an IDX file's header promises in all (0 until the header is
/// complete or when `b` is not IDX).
int64_t idxPromised(const std::string &b) {
  hebb_dtype dtype;
  if (b.size() < 4 || b[0] != 0 || b[1] != 0 ||
      !idxType((unsigned char)b[2], dtype))
    return 0;
  size_t rank = (unsigned char)b[3], width = hebb_dtype_size(dtype);
  if (rank < 1 || rank > 8 || b.size() < 4 + 4 * rank)
    return 0;
  int64_t n = (int64_t)width;
  for (size_t i = 0; i < rank; ++i) {
    const unsigned char *p = (const unsigned char *)b.data() + 4 + 4 * i;
    int64_t d = (int64_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
    if (d != 0 && n > kMaxBytes / d)
      return kMaxBytes + 1;
    n *= d;
  }
  return n + 4 + 4 * (int64_t)rank;
}

/// Inflates gzip'd `packed`, stopping at `limit` bytes or at what an IDX
/// header in the stream promises.
hebb_status inflate(const std::string &path, const std::string &packed,
                    std::string &bytes) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return fail(HEBB_ERR_NO_MEMORY, path + ": cannot start zlib");
  z.next_in = (Bytef *)packed.data();
  z.avail_in = (uInt)std::min<size_t>(packed.size(), UINT_MAX);
  int64_t limit = inflateLimit(), promised = 0;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = (Bytef *)buf;
    z.avail_out = sizeof buf;
    rc = ::inflate(&z, Z_NO_FLUSH);
    bytes.append(buf, sizeof buf - z.avail_out);
    if (!promised)
      promised = idxPromised(bytes);
    if ((int64_t)bytes.size() > (promised ? std::min(promised, limit) : limit))
      break;
  }
  inflateEnd(&z);
  if ((int64_t)bytes.size() > limit)
    return fail(HEBB_ERR_NO_MEMORY, path + ": inflates to more than " +
                                        std::to_string(limit) +
                                        " bytes (half this machine's memory)");
  if (promised && (int64_t)bytes.size() > promised)
    return fail(HEBB_ERR_FORMAT, path + ": more data than its IDX header's "
                                        "shape holds");
  if (rc != Z_STREAM_END)
    return fail(HEBB_ERR_FORMAT,
                path + ": truncated or corrupt compressed data");
  return HEBB_OK;
}

/// Reads a whole regular file, inflating it if it is gzip'd.
hebb_status readMaybeGzip(const std::string &path, std::string &bytes) {
  std::string raw;
  if (hebb_status s = hebb::rt::readFile(path, raw, kMaxBytes))
    return s;
  if (raw.size() < 2 || (unsigned char)raw[0] != 0x1f ||
      (unsigned char)raw[1] != 0x8b) {
    bytes = std::move(raw);
    return HEBB_OK;
  }
  return inflate(path, raw, bytes);
}

hebb_status readIdx(const std::string &path, const std::string &b,
                    hebb_tensor *out) {
  if (b.size() < 4 || b[0] != 0 || b[1] != 0)
    return fail(HEBB_ERR_FORMAT, path + ": not an IDX file (bad magic number)");
  unsigned type = (unsigned char)b[2], rank = (unsigned char)b[3];
  hebb_dtype dtype;
  if (!idxType(type, dtype)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", type);
    return fail(HEBB_ERR_FORMAT,
                path + ": IDX element type " + hex + " is not supported");
  }
  if (rank < 1 || rank > 8)
    return fail(HEBB_ERR_FORMAT, path + ": IDX rank " + std::to_string(rank) +
                                     " (expected 1 to 8)");
  if (b.size() < 4 + 4 * (size_t)rank)
    return fail(HEBB_ERR_FORMAT, path + ": truncated IDX header");
  // The data must be there before anything is allocated for it.
  if (idxPromised(b) != (int64_t)b.size())
    return fail(HEBB_ERR_FORMAT,
                path + ": IDX data has " +
                    std::to_string(b.size() - 4 - 4 * rank) +
                    " bytes, the header's shape needs " +
                    std::to_string(idxPromised(b) - 4 - 4 * (int64_t)rank) +
                    " (truncated file?)");
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
  // The format is in the bytes (.npy magic, gzip), else in the suffix
  // (.csv, any case); anything else is read as IDX.
  std::string p = path, lower = p;
  for (char &c : lower)
    c = (char)std::tolower((unsigned char)c);
  std::string bytes;
  if (hebb_status s = readMaybeGzip(p, bytes))
    return s;
  if ((bytes.size() >= 6 && bytes.compare(0, 6, "\x93NUMPY") == 0) ||
      endsWith(lower, ".npy") || endsWith(lower, ".npy.gz"))
    return hebb::rt::parseNpy(p, bytes, out);
  if (endsWith(lower, ".csv") || endsWith(lower, ".csv.gz"))
    return readCsv(p, bytes, out);
  return readIdx(p, bytes, out);
}
