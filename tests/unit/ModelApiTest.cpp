//===- ModelApiTest.cpp - libhebbrt's model contexts, without a compiler --===//
//
// A hand-written descriptor whose "entries" are plain C++ functions checks
// the runtime side of compiled models: argument layout, double-buffered
// parameters, scratch, checkpoints, and the errors for bad descriptors,
// memory blocks and files.
//
//===----------------------------------------------------------------------===//

#include "hebb/model.h"
#include "hebb/runtime.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// A 1-parameter "model": forward y = w * x; train_step w' = w - lr * x and
// loss = w; eval loss = sum of labels. Every entry checks its scratch.
constexpr const char *kInterface = R"({
  "name": "toy", "batch": 2,
  "inputs": [{"name": "x", "dtype": "f32", "shape": [2, 1]}],
  "outputs": [{"name": "y", "dtype": "f32", "shape": [2, 1]}],
  "params": [{"name": "w", "dtype": "f32", "shape": [1], "buffer": false,
              "init": {"kind": 2, "a": 3.0, "b": 0, "fan_in": 1, "fan_out": 1}}],
  "training": {"labels": {"name": "labels", "dtype": "f32", "shape": [2, 1]},
               "seeded": false, "lr": 0.5, "loss": "mse", "mean": true,
               "state": [{"name": "w.momentum_buffer", "param": "w"}]}
})";

int scratchErrors = 0;
void checkScratch(void *p) {
  if (!p || (uintptr_t)p % 64)
    ++scratchErrors;
  static_cast<char *>(p)[127] = 1; // 128 bytes promised
}

void forward(void **a) { // x, w, y, scratch
  float *x = (float *)a[0], *w = (float *)a[1], *y = (float *)a[2];
  y[0] = w[0] * x[0];
  y[1] = w[0] * x[1];
  checkScratch(a[3]);
}
void eval(void **a) { // x, labels, w, loss, y, scratch
  float *l = (float *)a[1];
  *(float *)a[3] = l[0] + l[1];
  forward(std::vector<void *>{a[0], a[2], a[4], a[5]}.data());
}
void trainStep(void **a) { // x, labels, w, m, lr, step, loss, w', m', scratch
  float *x = (float *)a[0], *w = (float *)a[2], *m = (float *)a[3];
  float lr = *(float *)a[4];
  *(float *)a[6] = w[0];
  *(float *)a[8] = m[0] + 1;
  *(float *)a[7] = w[0] - lr * x[0];
  checkScratch(a[9]);
}

hebb_model_desc descriptor() {
  return {HEBB_MODEL_ABI, kInterface, forward, eval,           trainStep,
          nullptr,        0,          128,     HEBB_DEVICE_CPU};
}

std::string temp(const char *name) {
  return ::testing::TempDir() + std::string("hebb_model_") + name;
}

TEST(ModelApi, TrainsInferSavesAndLoads) {
  hebb_model_desc d = descriptor();
  hebb_model *m = nullptr;
  ASSERT_EQ(hebb_model_create(&d, &m), HEBB_OK) << hebb_last_error();
  float x[2] = {1, 2}, labels[2] = {4, 5}, y[2], loss;
  const void *in[] = {x};
  void *out[] = {y};
  ASSERT_EQ(hebb_model_infer(m, in, out), HEBB_OK);
  EXPECT_EQ(y[1], 6.f); // w initialised to the constant 3
  ASSERT_EQ(hebb_model_train_step(m, in, labels, 0, &loss), HEBB_OK);
  EXPECT_EQ(loss, 3.f);
  ASSERT_EQ(hebb_model_train_step(m, in, labels, 0.25f, &loss), HEBB_OK);
  EXPECT_EQ(loss, 2.5f); // lr 0 meant the model's 0.5
  EXPECT_EQ(hebb_model_steps(m), 2);
  ASSERT_EQ(hebb_model_eval(m, in, labels, &loss, nullptr), HEBB_OK);
  EXPECT_EQ(loss, 9.f);
  // What NAME_eval(ctx, x, y, &loss, NULL) passes: an array holding NULL.
  void *noOutput[] = {nullptr};
  ASSERT_EQ(hebb_model_eval(m, in, labels, &loss, noOutput), HEBB_OK);
  EXPECT_EQ(loss, 9.f);
  EXPECT_EQ(scratchErrors, 0);

  std::string ck = temp("ck.safetensors");
  ASSERT_EQ(hebb_model_save(m, ck.c_str()), HEBB_OK);
  hebb_model *back = nullptr;
  ASSERT_EQ(hebb_model_create(&d, &back), HEBB_OK);
  ASSERT_EQ(hebb_model_load(back, ck.c_str()), HEBB_OK) << hebb_last_error();
  hebb_tensor w;
  ASSERT_EQ(hebb_model_param(back, "w", &w), HEBB_OK);
  EXPECT_EQ(((float *)w.data)[0], 2.25f);
  EXPECT_EQ(hebb_model_steps(back), 2);
  ASSERT_EQ(hebb_model_train_step(back, in, labels, 1, &loss), HEBB_OK);
  ASSERT_EQ(hebb_model_train_step(m, in, labels, 1, &loss), HEBB_OK);
  hebb_tensor w1, w2;
  hebb_model_param(m, "w", &w1);
  hebb_model_param(back, "w", &w2);
  EXPECT_EQ(((float *)w1.data)[0], ((float *)w2.data)[0]);
  hebb_model_destroy(m);
  hebb_model_destroy(back);
  std::remove(ck.c_str());
}

// A model whose inference entries read w (3 x 2, as B = wᵀ of x·wᵀ) packed:
// they check that the area, their last argument, holds w as it is now.
constexpr const char *kPackedInterface = R"({
  "name": "packed", "batch": 1,
  "inputs": [{"name": "x", "dtype": "f32", "shape": [1, 2]}],
  "outputs": [{"name": "y", "dtype": "f32", "shape": [1, 3]}],
  "params": [{"name": "w", "dtype": "f32", "shape": [3, 2], "buffer": false,
              "init": {"kind": 3, "a": -1.0, "b": 1.0, "fan_in": 2, "fan_out": 3}}],
  "training": {"labels": {"name": "labels", "dtype": "f32", "shape": [1, 3]},
               "seeded": false, "lr": 0.5, "loss": "mse", "mean": true, "state": []},
  "packs": [{"param": "w", "n": 3, "k": 2, "rs": 1, "cs": 2, "offset": 16}],
  "packed_floats": 48
})";

int packedCalls = 0, stalePacks = 0;
void checkPacked(const float *w, const float *area) {
  ++packedCalls;
  std::vector<float> want(HEBB_SGEMM_PACKED_FLOATS(3, 2));
  hebb_sgemm_pack_b(3, 2, w, 1, 2, want.data());
  if ((uintptr_t)area % 64 || !std::equal(want.begin(), want.end(), area + 16))
    ++stalePacks;
}
void packedForward(void **a) { // x, w, y, scratch, packed
  checkPacked((const float *)a[1], (const float *)a[4]);
}
void packedEval(void **a) { // x, labels, w, loss, y, scratch, packed
  checkPacked((const float *)a[2], (const float *)a[6]);
}
void packedStep(void **a) { // x, labels, w, lr, step, loss, w', scratch
  const float *w = (const float *)a[2];
  for (int i = 0; i < 6; ++i)
    ((float *)a[6])[i] = w[i] + 1;
}

TEST(ModelApi, PackedWeightsFollowEveryParameterChange) {
  hebb_model_desc d = {HEBB_MODEL_ABI,
                       kPackedInterface,
                       packedForward,
                       packedEval,
                       packedStep,
                       nullptr,
                       0,
                       64,
                       HEBB_DEVICE_CPU};
  hebb_model *m = nullptr;
  ASSERT_EQ(hebb_model_create(&d, &m), HEBB_OK) << hebb_last_error();
  float x[2] = {1, 2}, labels[3] = {}, y[3], loss;
  const void *in[] = {x};
  void *out[] = {y};
  ASSERT_EQ(hebb_model_infer(m, in, out), HEBB_OK);
  hebb_tensor w;
  ASSERT_EQ(hebb_model_param(m, "w", &w), HEBB_OK); // written through
  ((float *)w.data)[3] = 7;
  ASSERT_EQ(hebb_model_infer(m, in, out), HEBB_OK);
  ASSERT_EQ(hebb_model_train_step(m, in, labels, 0, &loss), HEBB_OK);
  ASSERT_EQ(hebb_model_eval(m, in, labels, &loss, nullptr), HEBB_OK);
  std::string ck = temp("packed.safetensors");
  ASSERT_EQ(hebb_model_save_parameters(m, ck.c_str()), HEBB_OK);
  ASSERT_EQ(hebb_model_init_params(m, 5), HEBB_OK);
  ASSERT_EQ(hebb_model_infer(m, in, out), HEBB_OK);
  ASSERT_EQ(hebb_model_load(m, ck.c_str()), HEBB_OK) << hebb_last_error();
  ASSERT_EQ(hebb_model_infer(m, in, out), HEBB_OK);
  EXPECT_EQ(packedCalls, 5);
  EXPECT_EQ(stalePacks, 0);
  hebb_model_destroy(m);
  std::remove(ck.c_str());
}

TEST(ModelApi, CallerOwnedMemory) {
  hebb_model_desc d = descriptor();
  size_t size = hebb_model_memory_size(&d);
  ASSERT_GT(size, 128u);
  void *block = std::aligned_alloc(64, (size + 63) / 64 * 64);
  hebb_model *m = nullptr;
  EXPECT_EQ(hebb_model_init_in(&d, block, size - 1, &m),
            HEBB_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(hebb_last_error()).find("at least"), std::string::npos);
  EXPECT_EQ(hebb_model_init_in(&d, (char *)block + 4, size, &m),
            HEBB_ERR_INVALID_ARGUMENT);
  ASSERT_EQ(hebb_model_init_in(&d, block, size, &m), HEBB_OK);
  float x[2] = {1, 1}, y[2];
  const void *in[] = {x};
  void *out[] = {y};
  EXPECT_EQ(hebb_model_infer(m, in, out), HEBB_OK);
  EXPECT_EQ(y[0], 3.f);
  hebb_model_destroy(m);
  std::free(block);
}

TEST(ModelApi, BadDescriptorsAndFilesAreErrors) {
  hebb_model_desc d = descriptor();
  hebb_model *m = nullptr;
  hebb_model_desc wrongAbi = d;
  wrongAbi.abi = 99;
  EXPECT_EQ(hebb_model_create(&wrongAbi, &m), HEBB_ERR_FORMAT);
  EXPECT_NE(std::string(hebb_last_error()).find("ABI"), std::string::npos);
  hebb_model_desc badJson = d;
  badJson.interface = "{\"name\": ";
  EXPECT_EQ(hebb_model_create(&badJson, &m), HEBB_ERR_FORMAT);
  EXPECT_EQ(hebb_model_create(nullptr, &m), HEBB_ERR_FORMAT);
  EXPECT_EQ(hebb_model_create(&d, nullptr), HEBB_ERR_INVALID_ARGUMENT);

  ASSERT_EQ(hebb_model_create(&d, &m), HEBB_OK);
  EXPECT_EQ(hebb_model_load(m, "/nonexistent/w.safetensors"), HEBB_ERR_IO);
  EXPECT_NE(std::string(hebb_last_error()).find("/nonexistent/w.safetensors"),
            std::string::npos);
  // A file without the parameter leaves the context unchanged.
  std::string empty = temp("empty.safetensors");
  ASSERT_EQ(hebb_safetensors_write(empty.c_str(), 0, nullptr, nullptr),
            HEBB_OK);
  EXPECT_EQ(hebb_model_load(m, empty.c_str()), HEBB_ERR_NOT_FOUND);
  hebb_tensor w;
  ASSERT_EQ(hebb_model_param(m, "w", &w), HEBB_OK);
  EXPECT_EQ(((float *)w.data)[0], 3.f);
  EXPECT_EQ(hebb_model_param(m, "nope", &w), HEBB_ERR_NOT_FOUND);
  EXPECT_EQ(hebb_model_infer(m, nullptr, nullptr), HEBB_ERR_INVALID_ARGUMENT);
  hebb_model_destroy(m);
  std::remove(empty.c_str());
}

TEST(ModelApi, GpuModelsNeedTheCudaDriver) {
  hebb_model_desc d = descriptor();
  d.device = HEBB_DEVICE_CUDA;
  hebb_model *m = nullptr;
  if (void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL)) {
    dlclose(driver);
    GTEST_SKIP() << "this machine has a CUDA driver";
  }
  EXPECT_EQ(hebb_model_create(&d, &m), HEBB_ERR_DEVICE);
  EXPECT_EQ(m, nullptr);
  EXPECT_STREQ(hebb_last_error(), "no CUDA driver: libcuda.so.1 not found");
  d.device = 7;
  EXPECT_EQ(hebb_model_create(&d, &m), HEBB_ERR_FORMAT);
}

TEST(ModelApi, TypedInterfaceQueries) {
  hebb_model_desc d = descriptor();
  hebb_model *m = nullptr;
  ASSERT_EQ(hebb_model_create(&d, &m), HEBB_OK) << hebb_last_error();
  EXPECT_STREQ(hebb_model_name(m), "toy");
  EXPECT_EQ(hebb_model_batch(m), 2);
  EXPECT_EQ(hebb_model_count(m, HEBB_ROLE_INPUT), 1);
  EXPECT_EQ(hebb_model_count(m, HEBB_ROLE_LABELS), 1);
  EXPECT_EQ(hebb_model_count(m, HEBB_ROLE_STATE), 1);
  hebb_tensor_info info;
  ASSERT_EQ(hebb_model_tensor_info(m, HEBB_ROLE_OUTPUT, 0, &info), HEBB_OK);
  EXPECT_STREQ(info.name, "y");
  EXPECT_EQ(info.rank, 2);
  EXPECT_EQ(info.shape[0], 2);
  ASSERT_EQ(hebb_model_tensor_info(m, HEBB_ROLE_STATE, 0, &info), HEBB_OK);
  EXPECT_STREQ(info.name, "w.momentum_buffer");
  EXPECT_EQ(info.param, 0);
  EXPECT_EQ(info.rank, 1);
  EXPECT_EQ(hebb_model_tensor_info(m, HEBB_ROLE_PARAM, 1, &info),
            HEBB_ERR_NOT_FOUND);
  hebb_training_info t;
  ASSERT_EQ(hebb_model_training(m, &t), HEBB_OK);
  EXPECT_STREQ(t.loss, "mse");
  EXPECT_EQ(t.lr, 0.5);
  EXPECT_EQ(t.epochs, 1); // left out of the interface: the default
  hebb_model_destroy(m);
}

TEST(ModelApi, MalformedInterfacesAreErrors) {
  hebb_model *m = nullptr;
  auto refuses = [&](const std::string &from, const std::string &to,
                     const char *message) {
    std::string text = kInterface;
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    hebb_model_desc d = descriptor();
    d.interface = text.c_str();
    EXPECT_EQ(hebb_model_create(&d, &m), HEBB_ERR_FORMAT) << to;
    EXPECT_NE(std::string(hebb_last_error()).find(message), std::string::npos)
        << hebb_last_error();
    EXPECT_EQ(hebb_model_memory_size(&d), 0u);
  };
  refuses("\"dtype\": \"f32\", \"shape\": [2, 1]}],\n  \"outputs\"",
          "\"dtype\": \"f16\", \"shape\": [2, 1]}],\n  \"outputs\"",
          "unknown dtype 'f16'");
  refuses("\"param\": \"w\"", "\"param\": \"v\"",
          "belongs to no trainable parameter");
  refuses("\"lr\": 0.5", "\"lr\": \"fast\"", "model interface");
}

TEST(ModelApi, LoadingChecksShapesAndCompleteState) {
  hebb_model_desc d = descriptor();
  hebb_model *m = nullptr;
  ASSERT_EQ(hebb_model_create(&d, &m), HEBB_OK);
  std::string path = temp("bad.safetensors");
  float two[2] = {1, 2};
  hebb_tensor wrong{HEBB_F32, 1, {2}, two};
  const char *names[] = {"w"};
  ASSERT_EQ(hebb_safetensors_write(path.c_str(), 1, names, &wrong), HEBB_OK);
  EXPECT_EQ(hebb_model_load(m, path.c_str()), HEBB_ERR_SHAPE);
  EXPECT_NE(std::string(hebb_last_error())
                .find("has shape [2], the model "
                      "expects [1]"),
            std::string::npos)
      << hebb_last_error();
  // Parameters with optimizer state for some slots but not all: refused.
  double w64 = 7;
  hebb_tensor w{HEBB_F64, 1, {1}, &w64};
  ASSERT_EQ(hebb_safetensors_write(path.c_str(), 1, names, &w), HEBB_OK);
  ASSERT_EQ(hebb_model_load(m, path.c_str()), HEBB_OK) << hebb_last_error();
  hebb_tensor view;
  ASSERT_EQ(hebb_model_param(m, "w", &view), HEBB_OK);
  EXPECT_EQ(((float *)view.data)[0], 7.f); // f64 converted
  double progress[2] = {-1e12, 0};
  hebb_tensor p{HEBB_F64, 1, {2}, progress};
  const char *withProgress[] = {"optimizer.progress"};
  hebb_tensor both[2] = {w, p};
  const char *bothNames[2] = {names[0], withProgress[0]};
  ASSERT_EQ(hebb_safetensors_write(path.c_str(), 2, bothNames, both), HEBB_OK);
  EXPECT_EQ(hebb_model_load(m, path.c_str()), HEBB_ERR_FORMAT);
  EXPECT_NE(std::string(hebb_last_error()).find("optimizer.progress"),
            std::string::npos);
  hebb_model_destroy(m);
  std::remove(path.c_str());
}

} // namespace
