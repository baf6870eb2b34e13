/* hebb_sgemm alone: GFLOP/s on the MLP's and LeNet's shapes and a square one.
   clang-16 -O2 bench/gemm.c -Iruntime/include build/runtime/libhebbrt.a
   -fopenmp=libomp -lstdc++ -lm
   ./a.out   (OMP_NUM_THREADS sets the threads) */
#include "hebb/runtime.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void bench(int m, int n, int k, int ta, int tb, const char *what) {
  float *a = malloc(4L * m * k), *b = malloc(4L * k * n),
        *c = malloc(4L * m * n);
  for (long i = 0; i < (long)m * k; i++)
    a[i] = rand() / (float)RAND_MAX - .5f;
  for (long i = 0; i < (long)k * n; i++)
    b[i] = rand() / (float)RAND_MAX - .5f;
  long ars = ta ? 1 : k, acs = ta ? m : 1, brs = tb ? 1 : n, bcs = tb ? k : 1;
  hebb_sgemm(m, n, k, a, ars, acs, b, brs, bcs, c, n, 1, 0);
  int reps = 0;
  double t0 = now(), dt;
  do {
    hebb_sgemm(m, n, k, a, ars, acs, b, brs, bcs, c, n, 1, 0);
    ++reps;
  } while ((dt = now() - t0) < 0.5);
  printf("%-28s %4dx%4dx%4d  %6.1f GFLOP/s\n", what, m, n, k,
         2.0 * m * n * k * reps / dt / 1e9);
  free(a), free(b), free(c);
}

int main(void) {
  bench(128, 512, 784, 0, 1, "fc1 forward x·Wᵀ");
  bench(128, 512, 512, 0, 1, "fc2 forward x·Wᵀ");
  bench(512, 784, 128, 1, 0, "fc1 weight grad gᵀ·x");
  bench(128, 784, 512, 0, 0, "fc1 input grad g·W");
  /* LeNet-5's convolution products at batch 128 (docs/NOTES.md). */
  bench(6, 100352, 25, 0, 0, "conv1 forward W·cols");
  bench(16, 12800, 150, 0, 0, "conv2 forward W·cols");
  bench(150, 12800, 16, 1, 0, "conv2 input grad Wᵀ·g");
  bench(16, 150, 12800, 0, 1, "conv2 weight grad g·colsᵀ");
  bench(6, 25, 100352, 0, 1, "conv1 weight grad g·colsᵀ");
  bench(1024, 1024, 1024, 0, 0, "square");
  return 0;
}
