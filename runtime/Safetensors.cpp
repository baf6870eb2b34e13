//===- Safetensors.cpp - safetensors files --------------------------------===//
//
// Layout: u64 little-endian header size N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}, ...,
// "__metadata__": {...}}, then the data. Every offset and size is checked
// against the file before use.
//
//===----------------------------------------------------------------------===//

#include "Status.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace hebb::rt;
using json = nlohmann::json;

namespace {
constexpr int64_t kMaxFileBytes = int64_t(1) << 38;
constexpr uint64_t kMaxHeaderBytes = 100u << 20;

struct Entry {
  std::string name;
  hebb_dtype dtype;
  int32_t rank;
  int64_t shape[HEBB_MAX_RANK];
  size_t begin, end;
};

bool dtypeFromName(const std::string &s, hebb_dtype &d) {
  for (int i = HEBB_F32; i <= HEBB_BOOL; ++i)
    if (s == hebb_dtype_name((hebb_dtype)i)) {
      d = (hebb_dtype)i;
      return true;
    }
  return false;
}
} // namespace

struct hebb_safetensors {
  std::string path;
  std::string bytes;
  size_t dataStart = 0;
  std::vector<Entry> entries;
};

static hebb_status parseEntry(const std::string &path, const std::string &name,
                              const json &v, size_t dataSize, Entry &e) {
  auto bad = [&](const std::string &why) {
    return fail(HEBB_ERR_FORMAT,
                path + ": safetensors tensor '" + name + "': " + why);
  };
  if (!v.is_object())
    return bad("entry is not an object");
  e.name = name;
  auto dt = v.find("dtype");
  if (dt == v.end() || !dt->is_string())
    return bad("missing string 'dtype'");
  if (!dtypeFromName(dt->get<std::string>(), e.dtype))
    return fail(HEBB_ERR_DTYPE, path + ": safetensors tensor '" + name +
                                    "': dtype " + dt->get<std::string>() +
                                    " is not supported");
  auto sh = v.find("shape");
  if (sh == v.end() || !sh->is_array() || sh->size() > HEBB_MAX_RANK)
    return bad("'shape' must be an array of at most " +
               std::to_string(HEBB_MAX_RANK) + " integers");
  e.rank = (int32_t)sh->size();
  for (int32_t i = 0; i < e.rank; ++i) {
    const json &d = (*sh)[i];
    if (!d.is_number_unsigned())
      return bad("'shape' holds something other than non-negative integers");
    uint64_t dim = d.get<uint64_t>();
    if (dim > (uint64_t)kMaxFileBytes)
      return bad("dimension too large");
    e.shape[i] = (int64_t)dim;
  }
  auto off = v.find("data_offsets");
  if (off == v.end() || !off->is_array() || off->size() != 2 ||
      !(*off)[0].is_number_unsigned() || !(*off)[1].is_number_unsigned())
    return bad("'data_offsets' must be [begin, end]");
  uint64_t b = (*off)[0].get<uint64_t>(), en = (*off)[1].get<uint64_t>();
  if (b > en || en > dataSize)
    return bad("data_offsets [" + std::to_string(b) + ", " +
               std::to_string(en) + "] outside the " +
               std::to_string(dataSize) + "-byte data section");
  int64_t numel;
  if (!checkedNumel(e.rank, e.shape, kMaxFileBytes, numel) ||
      (uint64_t)numel * hebb_dtype_size(e.dtype) != en - b)
    return bad("data_offsets span " + std::to_string(en - b) +
               " bytes, shape and dtype need another size");
  e.begin = b;
  e.end = en;
  return HEBB_OK;
}

/// Tensors may not share bytes: two names for one range (or overlapping
/// ranges) would load as independent tensors that are not.
static hebb_status checkDisjoint(const std::string &path,
                                 const std::vector<Entry> &entries) {
  std::vector<const Entry *> byStart;
  for (const Entry &e : entries)
    if (e.end > e.begin)
      byStart.push_back(&e);
  std::sort(byStart.begin(), byStart.end(),
            [](const Entry *a, const Entry *b) { return a->begin < b->begin; });
  for (size_t i = 1; i < byStart.size(); ++i)
    if (byStart[i]->begin < byStart[i - 1]->end)
      return fail(HEBB_ERR_FORMAT, path + ": safetensors tensors '" +
                                       byStart[i - 1]->name + "' and '" +
                                       byStart[i]->name + "' share bytes");
  return HEBB_OK;
}

/// Parses the header of `file->bytes` (already read); `file->path` names it
/// in messages.
static hebb_status parseFile(std::unique_ptr<hebb_safetensors> file,
                             hebb_safetensors **out) {
  const std::string &bytes = file->bytes;
  const std::string &p = file->path;
  if (bytes.size() < 8)
    return fail(HEBB_ERR_FORMAT, p + ": not a safetensors file (too short)");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i)
    n = (n << 8) | (unsigned char)bytes[i];
  if (n > kMaxHeaderBytes || n > bytes.size() - 8)
    return fail(HEBB_ERR_FORMAT, p + ": safetensors header size " +
                                     std::to_string(n) +
                                     " exceeds the file or the 100 MB limit");
  // A JSON object keeps the last of duplicate keys: find them while parsing.
  std::string duplicate;
  std::set<std::string> keys;
  json::parser_callback_t seeKeys = [&](int depth, json::parse_event_t event,
                                        json &parsed) {
    if (depth == 1 && event == json::parse_event_t::key &&
        !keys.insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  json header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + n, seeKeys,
                            /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object())
    return fail(HEBB_ERR_FORMAT,
                p + ": safetensors header is not a JSON object");
  if (!duplicate.empty())
    return fail(HEBB_ERR_FORMAT, p + ": safetensors header names tensor '" +
                                     duplicate + "' twice");
  file->dataStart = 8 + n;
  size_t dataSize = bytes.size() - file->dataStart;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__")
      continue;
    Entry e;
    if (hebb_status s = parseEntry(p, it.key(), it.value(), dataSize, e))
      return s;
    file->entries.push_back(e);
  }
  if (hebb_status s = checkDisjoint(p, file->entries))
    return s;
  *out = file.release();
  return HEBB_OK;
}

extern "C" hebb_status hebb_safetensors_open(const char *path,
                                             hebb_safetensors **out) {
  if (!path || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "safetensors open: null argument");
  auto file = std::make_unique<hebb_safetensors>();
  file->path = path;
  if (hebb_status s = readFile(path, file->bytes, kMaxFileBytes))
    return s;
  return parseFile(std::move(file), out);
}

extern "C" hebb_status hebb_safetensors_open_memory(const void *data,
                                                    size_t size,
                                                    const char *label,
                                                    hebb_safetensors **out) {
  if (!data || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "safetensors open: null argument");
  auto file = std::make_unique<hebb_safetensors>();
  file->path = label ? label : "(memory)";
  file->bytes.assign((const char *)data, size);
  return parseFile(std::move(file), out);
}

extern "C" size_t hebb_safetensors_count(const hebb_safetensors *file) {
  return file ? file->entries.size() : 0;
}

extern "C" const char *hebb_safetensors_name(const hebb_safetensors *file,
                                             size_t index) {
  if (!file || index >= file->entries.size())
    return nullptr;
  return file->entries[index].name.c_str();
}

extern "C" hebb_status hebb_safetensors_get(const hebb_safetensors *file,
                                            const char *name,
                                            hebb_tensor *out) {
  if (!file || !name || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "safetensors get: null argument");
  for (const Entry &e : file->entries) {
    if (e.name != name)
      continue;
    hebb_tensor t;
    if (hebb_status s = hebb_tensor_alloc(&t, e.dtype, e.rank, e.shape))
      return s;
    std::memcpy(t.data, file->bytes.data() + file->dataStart + e.begin,
                e.end - e.begin);
    *out = t;
    return HEBB_OK;
  }
  return fail(HEBB_ERR_NOT_FOUND,
              file->path + ": no tensor named '" + name + "'");
}

extern "C" void hebb_safetensors_close(hebb_safetensors *file) { delete file; }

extern "C" hebb_status hebb_safetensors_write(const char *path, size_t count,
                                              const char *const *names,
                                              const hebb_tensor *tensors) {
  if (!path || (count && (!names || !tensors)))
    return fail(HEBB_ERR_INVALID_ARGUMENT, "safetensors write: null argument");
  // Data is laid out in name order, as the reference implementation does.
  std::map<std::string, const hebb_tensor *> sorted;
  for (size_t i = 0; i < count; ++i) {
    if (!names[i] || !sorted.emplace(names[i], &tensors[i]).second)
      return fail(HEBB_ERR_INVALID_ARGUMENT,
                  std::string(path) + ": duplicate or null tensor name");
  }
  json header = json::object();
  size_t offset = 0;
  for (auto &[name, t] : sorted) {
    json shape = json::array();
    for (int32_t i = 0; i < t->rank; ++i)
      shape.push_back(t->shape[i]);
    size_t bytes = hebb_tensor_nbytes(t);
    header[name] = {{"dtype", hebb_dtype_name(t->dtype)},
                    {"shape", shape},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  uint64_t n = text.size();
  for (int i = 0; i < 8; ++i)
    out[i] = (char)((n >> (8 * i)) & 0xff);
  out += text;
  for (auto &[name, t] : sorted)
    out.append((const char *)t->data, hebb_tensor_nbytes(t));
  return writeFileAtomically(path, out);
}
