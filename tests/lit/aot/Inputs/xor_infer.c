/* Inference with weights embedded in the object: no file is read. */
#include "xor_train.h"

#include <stdio.h>

int main(void) {
  static const float x[XOR_TRAIN_INPUT_X_SIZE] = {0, 0, 0, 1, 1, 0, 1, 1};
  float out[XOR_TRAIN_OUTPUT_OUTPUT_SIZE];
  xor_train_ctx *ctx;
  if (xor_train_create(&ctx) || xor_train_infer(ctx, x, out)) {
    fprintf(stderr, "%s\n", xor_train_error());
    return 1;
  }
  printf("embedded: %.3f %.3f %.3f %.3f\n", out[0], out[1], out[2], out[3]);
  xor_train_destroy(ctx);
  return 0;
}
