/* samples/lenet.json compiled ahead of time: a training step of a
   convolutional network allocates nothing once the first step has sized
   libhebbrt's GEMM buffers (one per thread). */
#include "lenet.h"

#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
static long allocations;
void *malloc(size_t n) {
  ++allocations;
  return __libc_malloc(n);
}

int main(void) {
  static float x[LENET_INPUT_X_SIZE];
  static int32_t y[LENET_LABELS_SIZE];
  for (int i = 0; i < LENET_INPUT_X_SIZE; ++i)
    x[i] = (float)((i * 7919) % 255) / 255.0f;
  for (int i = 0; i < LENET_LABELS_SIZE; ++i)
    y[i] = i % 10;
  lenet_ctx *ctx;
  float loss = 0, first = 0;
  if (lenet_create(&ctx) || lenet_init_params(ctx, 1) ||
      lenet_train_step(ctx, x, y, 0.0f, &first)) {
    fprintf(stderr, "%s\n", lenet_error());
    return 1;
  }
  long before = allocations;
  for (int s = 0; s < 5; ++s)
    if (lenet_train_step(ctx, x, y, 0.0f, &loss)) {
      fprintf(stderr, "%s\n", lenet_error());
      return 1;
    }
  printf("allocations during 5 steps: %ld\n", allocations - before);
  printf("loss falls: %s\n", loss < first ? "yes" : "no");
  lenet_destroy(ctx);
  return 0;
}
