/* Trains samples/xor_train.json through its compiled object and header:
   N steps on the four XOR rows (one batch), then saves a checkpoint and
   prints the outputs. Usage: xor_main SEED STEPS OUT.safetensors */
#define _POSIX_C_SOURCE 200112L
#include "xor_train.h"

#include <stdio.h>
#include <stdlib.h>

/* Counts every allocation in the process (libhebbrt and the model's code
   included): this program's malloc interposes glibc's. */
extern void *__libc_malloc(size_t);
static long allocations;
void *malloc(size_t n) {
  ++allocations;
  return __libc_malloc(n);
}

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  static const float x[XOR_TRAIN_INPUT_X_SIZE] = {0, 0, 0, 1, 1, 0, 1, 1};
  static const float y[XOR_TRAIN_LABELS_SIZE] = {0, 1, 1, 0};
  xor_train_ctx *ctx;
  if (xor_train_create(&ctx) ||
      xor_train_init_params(ctx, strtoull(argv[1], 0, 10))) {
    fprintf(stderr, "create: %s\n", xor_train_error());
    return 1;
  }
  int steps = atoi(argv[2]);
  float loss = 0;
  for (int s = 0; s < steps; ++s)
    if (xor_train_train_step(ctx, x, y, 0.0f, &loss)) {
      fprintf(stderr, "train_step: %s\n", xor_train_error());
      return 1;
    }
  if (xor_train_save(ctx, argv[3])) {
    fprintf(stderr, "save: %s\n", xor_train_error());
    return 1;
  }
  /* Memory is planned at compile time: steps allocate nothing. */
  float warm[XOR_TRAIN_OUTPUT_OUTPUT_SIZE];
  xor_train_infer(ctx, x, warm);
  long before = allocations;
  for (int s = 0; s < 50; ++s)
    xor_train_train_step(ctx, x, y, 1e-9f, NULL);
  xor_train_infer(ctx, x, warm);
  printf("allocations during 50 steps and an inference: %ld\n",
         allocations - before);
  float out[XOR_TRAIN_OUTPUT_OUTPUT_SIZE], evalLoss;
  if (xor_train_infer(ctx, x, out) ||
      xor_train_eval(ctx, x, y, &evalLoss, out)) {
    fprintf(stderr, "%s\n", xor_train_error());
    return 1;
  }
  printf("steps %d loss %.6f eval %.6f out", steps, loss, evalLoss);
  for (int i = 0; i < XOR_TRAIN_OUTPUT_OUTPUT_SIZE; ++i)
    printf(" %.4f", out[i]);
  printf("\n");
  /* Bad input is an error code with a message, not a crash. */
  if (xor_train_load(ctx, "/nonexistent.safetensors") == 0)
    return 1;
  printf("load error: %s\n", xor_train_error());
  xor_train_destroy(ctx);

  /* Caller-owned memory: the same results from the same seed. */
  size_t size = xor_train_memory_size();
  void *block = NULL;
  xor_train_ctx *embedded;
  if (posix_memalign(&block, 64, (size + 63) / 64 * 64) ||
      xor_train_init_in(block, (size + 63) / 64 * 64, &embedded) ||
      xor_train_init_params(embedded, strtoull(argv[1], 0, 10)))
    return 1;
  for (int s = 0; s < steps; ++s)
    xor_train_train_step(embedded, x, y, 0.0f, &loss);
  printf("embedded loss %.6f (%zu bytes)\n", loss, size);
  xor_train_destroy(embedded);
  free(block);
  return 0;
}
