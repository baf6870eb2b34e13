/* Inference with weights compiled into the object (--embed-weights):
   mnist_mlp_trained_create starts from them.
   infer_embedded X.npy   (the first batch of X is classified) */
#include "mnist_mlp_trained.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: infer_embedded X.npy\n");
    return 2;
  }
  hebb_tensor raw, x;
  if (hebb_npy_read(argv[1], &raw) || hebb_tensor_convert(&raw, HEBB_F32, &x)) {
    fprintf(stderr, "infer_embedded: %s\n", hebb_last_error());
    return 1;
  }
  hebb_tensor_free(&raw);
  if (hebb_tensor_numel(&x) < MNIST_MLP_TRAINED_INPUT_X_SIZE) {
    fprintf(stderr, "infer_embedded: need at least one batch of inputs\n");
    return 1;
  }
  static float out[MNIST_MLP_TRAINED_OUTPUT_OUTPUT_SIZE];
  mnist_mlp_trained_ctx *ctx;
  if (mnist_mlp_trained_create(&ctx) ||
      mnist_mlp_trained_infer(ctx, x.data, out)) {
    fprintf(stderr, "infer_embedded: %s\n", mnist_mlp_trained_error());
    return 1;
  }
  printf("p0 %.6f\n", out[0]);
  mnist_mlp_trained_destroy(ctx);
  hebb_tensor_free(&x);
  return 0;
}
