//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// Format 1.0/2.0/3.0: magic, version, header length, a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded to 64
// bytes, then the raw data. Only little-endian C-order arrays are accepted.
//
//===----------------------------------------------------------------------===//

#include "Status.h"

#include <cstring>
#include <string>

using namespace hebb::rt;

namespace {

constexpr int64_t kMaxFileBytes = int64_t(1) << 36;

struct Descr {
  const char *text;
  hebb_dtype dtype;
};
constexpr Descr kDescrs[] = {
    {"<f4", HEBB_F32}, {"<f8", HEBB_F64}, {"<i4", HEBB_I32}, {"<i8", HEBB_I64},
    {"|u1", HEBB_U8},  {"|i1", HEBB_I8},  {"|b1", HEBB_BOOL}};

/// Finds `'key':` in the header dict and returns the position after it.
size_t findKey(const std::string &h, const char *key) {
  std::string k = std::string("'") + key + "'";
  size_t p = h.find(k);
  if (p == std::string::npos)
    return p;
  p = h.find(':', p + k.size());
  return p == std::string::npos ? p : p + 1;
}

void skipSpace(const std::string &h, size_t &p) {
  while (p < h.size() && (h[p] == ' ' || h[p] == '\t'))
    ++p;
}

hebb_status parseHeader(const std::string &path, const std::string &h,
                        hebb_dtype &dtype, int32_t &rank, int64_t *shape) {
  auto bad = [&](const std::string &why) {
    return fail(HEBB_ERR_FORMAT, path + ": npy header: " + why);
  };
  size_t p = findKey(h, "descr");
  if (p == std::string::npos)
    return bad("missing 'descr'");
  skipSpace(h, p);
  size_t q = p < h.size() ? h.find(h[p], p + 1) : std::string::npos;
  if (p >= h.size() || (h[p] != '\'' && h[p] != '"') || q == std::string::npos)
    return bad("'descr' is not a string");
  std::string descr = h.substr(p + 1, q - p - 1);
  if (descr == "<b1" || descr == "=b1")
    descr = "|b1";
  if (descr == "<u1" || descr == "=u1")
    descr = "|u1";
  bool found = false;
  for (const Descr &d : kDescrs)
    if (descr == d.text) {
      dtype = d.dtype;
      found = true;
    }
  if (!found)
    return fail(HEBB_ERR_DTYPE,
                path + ": npy dtype '" + descr +
                    "' is not supported (use <f4, <f8, <i4, <i8, u1, i1, b1)");
  p = findKey(h, "fortran_order");
  if (p == std::string::npos)
    return bad("missing 'fortran_order'");
  skipSpace(h, p);
  if (h.compare(p, 4, "True") == 0)
    return bad("Fortran-order arrays are not supported (save with "
               "np.ascontiguousarray)");
  if (h.compare(p, 5, "False") != 0)
    return bad("'fortran_order' is not True or False");
  p = findKey(h, "shape");
  if (p == std::string::npos)
    return bad("missing 'shape'");
  skipSpace(h, p);
  if (p >= h.size() || h[p] != '(')
    return bad("'shape' is not a tuple");
  ++p;
  rank = 0;
  while (true) {
    skipSpace(h, p);
    if (p >= h.size())
      return bad("unterminated 'shape'");
    if (h[p] == ')')
      break;
    if (h[p] < '0' || h[p] > '9')
      return bad("'shape' holds something other than integers");
    if (rank == HEBB_MAX_RANK)
      return bad("rank above " + std::to_string(HEBB_MAX_RANK));
    int64_t v = 0;
    while (p < h.size() && h[p] >= '0' && h[p] <= '9') {
      if (v > (INT64_MAX - 9) / 10)
        return bad("dimension too large");
      v = v * 10 + (h[p++] - '0');
    }
    shape[rank++] = v;
    skipSpace(h, p);
    if (p < h.size() && h[p] == ',')
      ++p;
  }
  return HEBB_OK;
}

} // namespace

namespace hebb::rt {
hebb_status parseNpy(const std::string &p, const std::string &bytes,
                     hebb_tensor *out) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    return fail(HEBB_ERR_FORMAT, p + ": not a .npy file (bad magic)");
  unsigned major = (unsigned char)bytes[6];
  size_t headerLen, start;
  if (major == 1) {
    headerLen = (unsigned char)bytes[8] | ((unsigned char)bytes[9] << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(HEBB_ERR_FORMAT, p + ": truncated npy header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | (unsigned char)bytes[8 + i];
    start = 12;
  } else {
    return fail(HEBB_ERR_FORMAT,
                p + ": npy version " + std::to_string(major) + " unsupported");
  }
  if (headerLen > bytes.size() - start)
    return fail(HEBB_ERR_FORMAT, p + ": truncated npy header");
  std::string header = bytes.substr(start, headerLen);
  hebb_dtype dtype = HEBB_F32;
  int32_t rank = 0;
  int64_t shape[HEBB_MAX_RANK] = {0};
  if (hebb_status s = parseHeader(p, header, dtype, rank, shape))
    return s;
  int64_t numel;
  size_t elem = hebb_dtype_size(dtype);
  if (!checkedNumel(rank, shape, kMaxFileBytes / (int64_t)elem, numel))
    return fail(HEBB_ERR_FORMAT, p + ": npy shape too large");
  size_t dataStart = start + headerLen;
  size_t want = (size_t)numel * elem;
  if (bytes.size() - dataStart != want)
    return fail(HEBB_ERR_FORMAT, p + ": npy data has " +
                                     std::to_string(bytes.size() - dataStart) +
                                     " bytes, shape needs " +
                                     std::to_string(want));
  hebb_tensor t;
  if (hebb_status s = hebb_tensor_alloc(&t, dtype, rank, shape))
    return s;
  std::memcpy(t.data, bytes.data() + dataStart, want);
  *out = t;
  return HEBB_OK;
}
} // namespace hebb::rt

extern "C" hebb_status hebb_npy_read(const char *path, hebb_tensor *out) {
  if (!path || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "npy read: null argument");
  std::string bytes;
  if (hebb_status s = readFile(path, bytes, kMaxFileBytes))
    return s;
  return parseNpy(path, bytes, out);
}

extern "C" hebb_status hebb_npy_write(const char *path, const hebb_tensor *t) {
  if (!path || !t || (!t->data && hebb_tensor_numel(t) > 0))
    return fail(HEBB_ERR_INVALID_ARGUMENT, "npy write: null argument");
  const char *descr = nullptr;
  for (const Descr &d : kDescrs)
    if (d.dtype == t->dtype)
      descr = d.text;
  if (!descr)
    return fail(HEBB_ERR_DTYPE, std::string(path) + ": unknown dtype");
  std::string shape = "(";
  for (int32_t i = 0; i < t->rank; ++i)
    shape += std::to_string(t->shape[i]) + (t->rank == 1      ? ","
                                            : i + 1 < t->rank ? ", "
                                                              : "");
  shape += ")";
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += (char)(header.size() & 0xff);
  bytes += (char)((header.size() >> 8) & 0xff);
  bytes += header;
  bytes.append((const char *)t->data, hebb_tensor_nbytes(t));
  return writeFileAtomically(path, bytes);
}
