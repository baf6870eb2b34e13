/* hebb_sgemm alone: GFLOP/s on the MLP's and LeNet's shapes and a square one.
   clang-16 -O2 bench/gemm.c -Iruntime/include build/runtime/libhebbrt.a
   -fopenmp=libomp -lstdc++ -lm
   ./a.out            (OMP_NUM_THREADS sets the threads)
   ./a.out 512 1024   square row-major products only, one JSON line each,
                      the best of 5 rounds (bench/run.py) */
#include "hebb/runtime.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* GFLOP/s of C = A·B, op(A) m x k and op(B) k x n, over rounds of at least
   `seconds` each: the best round. */
static double gflops(int m, int n, int k, int ta, int tb, double seconds,
                     int rounds) {
  float *a = malloc(4L * m * k), *b = malloc(4L * k * n),
        *c = malloc(4L * m * n);
  for (long i = 0; i < (long)m * k; i++)
    a[i] = rand() / (float)RAND_MAX - .5f;
  for (long i = 0; i < (long)k * n; i++)
    b[i] = rand() / (float)RAND_MAX - .5f;
  long ars = ta ? 1 : k, acs = ta ? m : 1, brs = tb ? 1 : n, bcs = tb ? k : 1;
  hebb_sgemm(m, n, k, a, ars, acs, b, brs, bcs, c, n, 1, 0);
  double best = 0;
  for (int r = 0; r < rounds; ++r) {
    int reps = 0;
    double t0 = now(), dt;
    do {
      hebb_sgemm(m, n, k, a, ars, acs, b, brs, bcs, c, n, 1, 0);
      ++reps;
    } while ((dt = now() - t0) < seconds);
    double g = 2.0 * m * n * k * reps / dt / 1e9;
    best = g > best ? g : best;
  }
  free(a), free(b), free(c);
  return best;
}

static void bench(int m, int n, int k, int ta, int tb, const char *what) {
  printf("%-28s %4dx%4dx%4d  %6.1f GFLOP/s\n", what, m, n, k,
         gflops(m, n, k, ta, tb, 0.5, 1));
}

int main(int argc, char **argv) {
  if (argc > 1) {
    for (int i = 1; i < argc; ++i) {
      int n = atoi(argv[i]);
      printf("{\"n\": %d, \"gflops\": %.1f}\n", n,
             gflops(n, n, n, 0, 0, 0.2, 5));
    }
    return 0;
  }
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
