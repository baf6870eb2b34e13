//===- RuntimeTest.cpp - libhebbrt: tensors, npy, safetensors, init -------===//

#include "hebb/runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "hebb_rt_" + name;
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Owned {
  hebb_tensor t{};
  ~Owned() { hebb_tensor_free(&t); }
};

TEST(Runtime, NpyRoundTripKeepsEveryValue) {
  int64_t shape[] = {3, 5, 2};
  Owned a;
  ASSERT_EQ(hebb_tensor_alloc(&a.t, HEBB_F32, 3, shape), HEBB_OK);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-100, 100);
  float *d = (float *)a.t.data;
  for (int i = 0; i < 30; ++i)
    d[i] = u(rng);
  std::string path = tempPath("a.npy");
  ASSERT_EQ(hebb_npy_write(path.c_str(), &a.t), HEBB_OK);
  Owned b;
  ASSERT_EQ(hebb_npy_read(path.c_str(), &b.t), HEBB_OK);
  ASSERT_EQ(b.t.dtype, HEBB_F32);
  ASSERT_EQ(b.t.rank, 3);
  EXPECT_EQ(b.t.shape[0], 3);
  EXPECT_EQ(b.t.shape[1], 5);
  EXPECT_EQ(b.t.shape[2], 2);
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(((float *)b.t.data)[i], d[i]);
}

TEST(Runtime, NpyHeaderIsWhatNumpyWrites) {
  int64_t shape[] = {4};
  Owned a;
  ASSERT_EQ(hebb_tensor_alloc(&a.t, HEBB_I32, 1, shape), HEBB_OK);
  std::string path = tempPath("h.npy");
  ASSERT_EQ(hebb_npy_write(path.c_str(), &a.t), HEBB_OK);
  std::string bytes = readBytes(path);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_NE(
      bytes.find("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }"),
      std::string::npos);
  EXPECT_EQ((10 + (unsigned char)bytes[8]) % 64, 0u) << "header not 64-aligned";
  EXPECT_EQ(bytes.size(), 10 + (size_t)(unsigned char)bytes[8] + 16);
}

struct BadNpy {
  const char *name;
  std::string bytes;
  hebb_status status;
  const char *message;
};

std::string npyHeader(const std::string &dict) {
  std::string h = dict;
  h.append((64 - (10 + h.size() + 1) % 64) % 64, ' ');
  h += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += (char)(h.size() & 0xff);
  out += (char)(h.size() >> 8);
  return out + h;
}

TEST(Runtime, MalformedNpyFilesAreRejectedWithAMessage) {
  std::vector<BadNpy> cases = {
      {"magic", "not a numpy file", HEBB_ERR_FORMAT,
       "not a .npy file (bad magic)"},
      {"dtype",
       npyHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }") +
           std::string(8, '\0'),
       HEBB_ERR_DTYPE,
       "npy dtype '<c8' is not supported (use <f4, <f8, <i4, <i8, u1, i1, b1)"},
      {"fortran",
       npyHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }") +
           std::string(4, '\0'),
       HEBB_ERR_FORMAT,
       "npy header: Fortran-order arrays are not supported (save with "
       "np.ascontiguousarray)"},
      {"truncated",
       npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }") +
           std::string(8, '\0'),
       HEBB_ERR_FORMAT, "npy data has 8 bytes, shape needs 12"},
      {"huge",
       npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': "
                 "(1099511627776, 1099511627776), }"),
       HEBB_ERR_FORMAT, "npy shape too large"},
      {"header_len", std::string("\x93NUMPY\x01\x00\xff\xff", 10) + "{}",
       HEBB_ERR_FORMAT, "truncated npy header"},
      {"shape",
       npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (a,), }"),
       HEBB_ERR_FORMAT,
       "npy header: 'shape' holds something other than integers"},
  };
  for (const BadNpy &c : cases) {
    std::string path = tempPath(std::string("bad_") + c.name + ".npy");
    writeBytes(path, c.bytes);
    Owned t;
    EXPECT_EQ(hebb_npy_read(path.c_str(), &t.t), c.status) << c.name;
    EXPECT_EQ(std::string(hebb_last_error()), path + ": " + c.message)
        << c.name;
  }
  Owned t;
  EXPECT_EQ(hebb_npy_read("/nonexistent/x.npy", &t.t), HEBB_ERR_IO);
  EXPECT_EQ(std::string(hebb_last_error()),
            "/nonexistent/x.npy: cannot open: No such file or directory");
}

TEST(Runtime, SafetensorsRoundTripSortedAndAligned) {
  int64_t s1[] = {2, 3}, s2[] = {4};
  hebb_tensor t[2];
  ASSERT_EQ(hebb_tensor_alloc(&t[0], HEBB_F32, 2, s1), HEBB_OK);
  ASSERT_EQ(hebb_tensor_alloc(&t[1], HEBB_I64, 1, s2), HEBB_OK);
  for (int i = 0; i < 6; ++i)
    ((float *)t[0].data)[i] = 0.5f * i - 1;
  for (int i = 0; i < 4; ++i)
    ((int64_t *)t[1].data)[i] = -i * 1000000007LL;
  const char *names[] = {"fc1.weight", "a.steps"};
  std::string path = tempPath("w.safetensors");
  ASSERT_EQ(hebb_safetensors_write(path.c_str(), 2, names, t), HEBB_OK);
  std::string bytes = readBytes(path);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i)
    n = (n << 8) | (unsigned char)bytes[i];
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.size(), 8 + n + 24 + 32);
  hebb_safetensors *f = nullptr;
  ASSERT_EQ(hebb_safetensors_open(path.c_str(), &f), HEBB_OK);
  ASSERT_EQ(hebb_safetensors_count(f), 2u);
  Owned w, s;
  ASSERT_EQ(hebb_safetensors_get(f, "fc1.weight", &w.t), HEBB_OK);
  ASSERT_EQ(hebb_safetensors_get(f, "a.steps", &s.t), HEBB_OK);
  EXPECT_EQ(hebb_safetensors_get(f, "fc2.weight", &w.t), HEBB_ERR_NOT_FOUND);
  EXPECT_EQ(std::string(hebb_last_error()),
            path + ": no tensor named 'fc2.weight'");
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(((float *)w.t.data)[i], 0.5f * i - 1);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(((int64_t *)s.t.data)[i], -i * 1000000007LL);
  hebb_safetensors_close(f);
  hebb_tensor_free(&t[0]);
  hebb_tensor_free(&t[1]);
}

std::string safetensors(const std::string &header, size_t dataBytes) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = (char)((header.size() >> (8 * i)) & 0xff);
  return out + header + std::string(dataBytes, '\0');
}

TEST(Runtime, MalformedSafetensorsAreRejectedWithAMessage) {
  struct Case {
    const char *name;
    std::string bytes;
    const char *message;
  } cases[] = {
      {"short", "abc", "not a safetensors file (too short)"},
      {"header_size", std::string("\xff\xff\xff\xff\x00\x00\x00\x00", 8),
       "safetensors header size 4294967295 exceeds the file or the 100 MB "
       "limit"},
      {"json", safetensors("{not json", 0),
       "safetensors header is not a JSON object"},
      {"offsets",
       safetensors(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})",
                   8),
       "safetensors tensor 'w': data_offsets [0, 16] outside the 8-byte data "
       "section"},
      {"size",
       safetensors(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                   8),
       "safetensors tensor 'w': data_offsets span 8 bytes, shape and dtype "
       "need another size"},
      {"dtype",
       safetensors(R"({"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}})",
                   8),
       "safetensors tensor 'w': dtype C64 is not supported"},
      {"duplicate_key",
       safetensors(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                   R"("w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                   8),
       "safetensors header names tensor 'w' twice"},
      {"overlap",
       safetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                   R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                   8),
       "safetensors tensors 'a' and 'b' share bytes"},
      {"alias",
       safetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                   R"("b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                   8),
       "safetensors tensors 'a' and 'b' share bytes"},
      {"shape",
       safetensors(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}})",
                   8),
       "safetensors tensor 'w': 'shape' holds something other than "
       "non-negative integers"},
  };
  for (const Case &c : cases) {
    std::string path = tempPath(std::string("bad_") + c.name + ".safetensors");
    writeBytes(path, c.bytes);
    hebb_safetensors *f = nullptr;
    EXPECT_NE(hebb_safetensors_open(path.c_str(), &f), HEBB_OK) << c.name;
    EXPECT_EQ(f, nullptr);
    EXPECT_EQ(std::string(hebb_last_error()), path + ": " + c.message)
        << c.name;
  }
}

TEST(Runtime, AllocRejectsOverflowingShapes) {
  int64_t shape[] = {int64_t(1) << 40, int64_t(1) << 40};
  hebb_tensor t;
  EXPECT_EQ(hebb_tensor_alloc(&t, HEBB_F32, 2, shape), HEBB_ERR_NO_MEMORY);
  int64_t negative[] = {-3};
  EXPECT_EQ(hebb_tensor_alloc(&t, HEBB_F32, 1, negative), HEBB_ERR_NO_MEMORY);
  EXPECT_EQ(hebb_tensor_alloc(&t, HEBB_F32, 9, shape),
            HEBB_ERR_INVALID_ARGUMENT);
}

TEST(Runtime, ConvertChecksRanges) {
  int64_t shape[] = {3};
  Owned src, dst;
  ASSERT_EQ(hebb_tensor_alloc(&src.t, HEBB_I64, 1, shape), HEBB_OK);
  int64_t *d = (int64_t *)src.t.data;
  d[0] = 1;
  d[1] = -7;
  d[2] = 9;
  ASSERT_EQ(hebb_tensor_convert(&src.t, HEBB_I32, &dst.t), HEBB_OK);
  EXPECT_EQ(((int32_t *)dst.t.data)[1], -7);
  d[2] = int64_t(1) << 40;
  Owned bad;
  EXPECT_EQ(hebb_tensor_convert(&src.t, HEBB_I32, &bad.t), HEBB_ERR_DTYPE);
}

// Known-answer test: Random123's published vector for Philox-4x32-10 with
// counter = (0, 0, 0, 0) and key = (0, 0).
TEST(Runtime, PhiloxMatchesThePublishedKnownAnswer) {
  uint32_t out[4];
  hebb_philox4x32(0, 0, 0, out);
  EXPECT_EQ(out[0], 0x6627e8d5u);
  EXPECT_EQ(out[1], 0xe169c58du);
  EXPECT_EQ(out[2], 0xbc57ac4cu);
  EXPECT_EQ(out[3], 0x9b00dbd8u);
}

TEST(Runtime, InitialisersHaveTheirStatedMoments) {
  int64_t shape[] = {200, 300};
  Owned t;
  ASSERT_EQ(hebb_tensor_alloc(&t.t, HEBB_F32, 2, shape), HEBB_OK);
  auto moments = [&](double &mean, double &var, double &lo, double &hi) {
    const float *d = (const float *)t.t.data;
    double s = 0, s2 = 0;
    lo = 1e9;
    hi = -1e9;
    for (int i = 0; i < 60000; ++i) {
      s += d[i];
      s2 += (double)d[i] * d[i];
      lo = std::min(lo, (double)d[i]);
      hi = std::max(hi, (double)d[i]);
    }
    mean = s / 60000;
    var = s2 / 60000 - mean * mean;
  };
  double mean, var, lo, hi;
  hebb_init glorot{HEBB_INIT_GLOROT_UNIFORM, 0, 0, 300, 200};
  ASSERT_EQ(hebb_init_fill(&t.t, &glorot, 42, 0), HEBB_OK);
  moments(mean, var, lo, hi);
  double limit = std::sqrt(6.0 / 500);
  EXPECT_NEAR(mean, 0, 0.01 * limit);
  EXPECT_NEAR(var, limit * limit / 3, 0.02 * limit * limit / 3);
  EXPECT_GE(lo, -limit);
  EXPECT_LE(hi, limit);
  hebb_init normal{HEBB_INIT_NORMAL, 2.0, 0.5, 1, 1};
  ASSERT_EQ(hebb_init_fill(&t.t, &normal, 42, 1), HEBB_OK);
  moments(mean, var, lo, hi);
  EXPECT_NEAR(mean, 2.0, 0.01);
  EXPECT_NEAR(std::sqrt(var), 0.5, 0.01);
  // Same seed and stream, same values; another stream, other values.
  Owned u;
  ASSERT_EQ(hebb_tensor_alloc(&u.t, HEBB_F32, 2, shape), HEBB_OK);
  ASSERT_EQ(hebb_init_fill(&u.t, &normal, 42, 1), HEBB_OK);
  EXPECT_EQ(((float *)u.t.data)[123], ((float *)t.t.data)[123]);
  ASSERT_EQ(hebb_init_fill(&u.t, &normal, 42, 2), HEBB_OK);
  EXPECT_NE(((float *)u.t.data)[123], ((float *)t.t.data)[123]);
}

} // namespace
