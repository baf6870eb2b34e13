// The same as mlp.c from C++, with an owning wrapper around the context and
// caller-owned memory (mnist_mlp_init_in): no allocation by the model.
//
//   mlp_cpp X.npy Y.npy STEPS SEED CHECKPOINT.safetensors
#include "mnist_mlp.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

void check(int status, const std::string &what) {
  if (status != HEBB_OK)
    throw std::runtime_error(what + ": " + mnist_mlp_error());
}

struct Tensor {
  hebb_tensor t{};
  Tensor(const char *path, hebb_dtype dtype) {
    hebb_tensor raw;
    check(hebb_npy_read(path, &raw), path);
    int s = hebb_tensor_convert(&raw, dtype, &t);
    hebb_tensor_free(&raw);
    check(s, path);
  }
  ~Tensor() { hebb_tensor_free(&t); }
  template <typename T> const T *data() const {
    return static_cast<const T *>(t.data);
  }
};

/// A model context in memory this program owns.
class Model {
public:
  explicit Model(uint64_t seed)
      : size((mnist_mlp_memory_size() + 63) / 64 * 64),
        block(static_cast<char *>(std::aligned_alloc(64, size)), std::free) {
    if (!block)
      throw std::bad_alloc();
    check(mnist_mlp_init_in(block.get(), size, &ctx), "init_in");
    check(mnist_mlp_init_params(ctx, seed), "init_params");
  }
  ~Model() { mnist_mlp_destroy(ctx); } // frees the context, not the block
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;
  mnist_mlp_ctx *get() { return ctx; }

private:
  size_t size;
  std::unique_ptr<char, void (*)(void *)> block;
  mnist_mlp_ctx *ctx = nullptr;
};

} // namespace

int main(int argc, char **argv) try {
  if (argc != 6) {
    std::fprintf(stderr, "usage: mlp_cpp X.npy Y.npy STEPS SEED CHECKPOINT\n");
    return 2;
  }
  Tensor x(argv[1], HEBB_F32), y(argv[2], HEBB_I32);
  const int64_t n = x.t.shape[0], B = MNIST_MLP_BATCH,
                row = MNIST_MLP_INPUT_X_SIZE / B;
  if (x.t.rank != 2 || x.t.shape[1] != row || y.t.shape[0] != n || n < B)
    throw std::runtime_error("expected X [N, 784] and Y [N] with N >= 128");
  Model model(std::strtoull(argv[4], nullptr, 10));
  std::vector<float> bx(MNIST_MLP_INPUT_X_SIZE),
      out(MNIST_MLP_OUTPUT_OUTPUT_SIZE);
  std::vector<int32_t> by(MNIST_MLP_LABELS_SIZE);
  int steps = std::atoi(argv[3]);
  float loss = 0;
  for (int s = 0; s < steps; ++s) {
    for (int64_t i = 0; i < B; ++i) {
      int64_t k = (s * B + i) % n;
      std::memcpy(&bx[i * row], x.data<float>() + k * row, sizeof(float) * row);
      by[i] = y.data<int32_t>()[k];
    }
    check(mnist_mlp_train_step(model.get(), bx.data(), by.data(), 0.0f, &loss),
          "train_step");
  }
  check(mnist_mlp_save(model.get(), argv[5]), "save");
  std::memcpy(bx.data(), x.data<float>(), sizeof(float) * bx.size());
  float evalLoss = 0;
  check(mnist_mlp_eval(model.get(), bx.data(), y.data<int32_t>(), &evalLoss,
                       out.data()),
        "eval");
  std::printf("steps %d loss %.6f eval loss %.6f p0 %.6f\n", steps, loss,
              evalLoss, out[0]);
  return 0;
} catch (const std::exception &e) {
  std::fprintf(stderr, "mlp_cpp: %s\n", e.what());
  return 1;
}
