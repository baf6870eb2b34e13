/* Trains the compiled Keras MNIST MLP for a few steps and runs inference,
   from C, with nothing but the generated header and libhebbrt.

   mlp_c X.npy Y.npy STEPS SEED CHECKPOINT.safetensors
   X: [N, 784] images in [0, 1]; Y: [N] class indices; N >= 128. Batches are
   consecutive (wrapping), as `hebb train --steps N --no-shuffle`. */
#include "mnist_mlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) {
  fprintf(stderr, "mlp_c: %s: %s\n", what, mnist_mlp_error());
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: mlp_c X.npy Y.npy STEPS SEED CHECKPOINT\n");
    return 2;
  }
  hebb_tensor raw, x, y;
  if (hebb_npy_read(argv[1], &raw) || hebb_tensor_convert(&raw, HEBB_F32, &x))
    return fail(argv[1]);
  hebb_tensor_free(&raw);
  if (hebb_npy_read(argv[2], &raw) || hebb_tensor_convert(&raw, HEBB_I32, &y))
    return fail(argv[2]);
  hebb_tensor_free(&raw);
  const int64_t n = x.shape[0], B = MNIST_MLP_BATCH,
                row = MNIST_MLP_INPUT_X_SIZE / B;
  if (x.rank != 2 || x.shape[1] != row || y.shape[0] != n || n < B) {
    fprintf(stderr, "mlp_c: expected X [N, %lld] and Y [N] with N >= %lld\n",
            (long long)row, (long long)B);
    return 1;
  }

  mnist_mlp_ctx *ctx;
  if (mnist_mlp_create(&ctx) ||
      mnist_mlp_init_params(ctx, strtoull(argv[4], 0, 10)))
    return fail("create");
  float *bx = malloc(sizeof(float) * MNIST_MLP_INPUT_X_SIZE);
  int32_t *by = malloc(sizeof(int32_t) * MNIST_MLP_LABELS_SIZE);
  float *out = malloc(sizeof(float) * MNIST_MLP_OUTPUT_OUTPUT_SIZE);
  int steps = atoi(argv[3]);
  float loss = 0;
  for (int s = 0; s < steps; ++s) {
    for (int64_t i = 0; i < B; ++i) { /* consecutive samples, wrapping */
      int64_t k = (s * B + i) % n;
      memcpy(bx + i * row, (float *)x.data + k * row, sizeof(float) * row);
      by[i] = ((int32_t *)y.data)[k];
    }
    if (mnist_mlp_train_step(ctx, bx, by, 0.0f, &loss))
      return fail("train_step");
  }
  if (mnist_mlp_save(ctx, argv[5]))
    return fail("save");

  /* Inference on the first batch. */
  memcpy(bx, x.data, sizeof(float) * MNIST_MLP_INPUT_X_SIZE);
  if (mnist_mlp_infer(ctx, bx, out))
    return fail("infer");
  int correct = 0;
  const int classes = MNIST_MLP_OUTPUT_OUTPUT_DIM1;
  for (int64_t i = 0; i < B; ++i) {
    int best = 0;
    for (int c = 1; c < classes; ++c)
      if (out[i * classes + c] > out[i * classes + best])
        best = c;
    correct += best == ((int32_t *)y.data)[i];
  }
  printf("steps %d loss %.6f first-batch accuracy %d/%lld p0 %.6f\n", steps,
         loss, correct, (long long)B, out[0]);
  mnist_mlp_destroy(ctx);
  free(bx), free(by), free(out);
  hebb_tensor_free(&x), hebb_tensor_free(&y);
  return 0;
}
