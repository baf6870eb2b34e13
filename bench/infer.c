/* Inference latency through a compiled model's generated C API, timed as
   ../shared/bench/torch_peer.py times its peers: 50 calls to warm up, then
   the mean of REPS calls on one random batch. bench/run.py builds it:

     hebb compile MODEL --emit=obj,header --batch B -o DIR/NAME
     cc -O2 -DNAME=name -DUPPER=NAME -include DIR/name.h bench/infer.c
   DIR/NAME.o \ -Iruntime/include libhebbrt.a -fopenmp=libomp -lstdc++ -lm
     ./a.out REPS      -> {"batch": B, "latency_us": ...}

   The model has one f32 input named x and one output named output. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define API(f) CAT(NAME, _##f)
#define MACRO(m) CAT(UPPER, _##m)

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  const long reps = argc > 1 ? atol(argv[1]) : 1000;
  API(ctx) * ctx;
  if (API(create)(&ctx)) {
    fprintf(stderr, "infer: %s\n", API(error)());
    return 1;
  }
  const size_t in = sizeof(float) * MACRO(INPUT_X_SIZE),
               out = sizeof(float) * MACRO(OUTPUT_OUTPUT_SIZE);
  float *x = malloc(in), *y = malloc(out);
  srand(1);
  for (size_t i = 0; i < in / sizeof(float); ++i)
    x[i] = rand() / (float)RAND_MAX;
  for (int i = 0; i < 50; ++i)
    API(infer)(ctx, x, y);
  const double t0 = now();
  for (long i = 0; i < reps; ++i)
    if (API(infer)(ctx, x, y)) {
      fprintf(stderr, "infer: %s\n", API(error)());
      return 1;
    }
  const double us = (now() - t0) / reps * 1e6;
  printf("{\"batch\": %d, \"latency_us\": %.1f}\n", MACRO(BATCH), us);
  API(destroy)(ctx);
  free(x);
  free(y);
  return 0;
}
