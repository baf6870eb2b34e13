/* The FMA peak of one core, measured: independent chains of fused
   multiply-adds per instruction set, long enough that the clock settles.
   Prints {"avx512": GFLOP/s, "avx2": GFLOP/s} (0 where the CPU lacks it).
   bench/run.py builds it: cc -O2 bench/peak.c */
#include <stdio.h>
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#if defined(__x86_64__)
/* The chains are independent and the asm statement keeps them live every
   iteration, so the loop is N FMAs deep and nothing is optimised away. */
#define PEAK(NAME, TARGET, VEC, SET1, FMA, LANES, N)                           \
  __attribute__((target(TARGET))) static double NAME(long n) {                 \
    VEC c[N];                                                                  \
    for (int i = 0; i < N; ++i)                                                \
      c[i] = SET1(i * 1e-3f);                                                  \
    const VEC a = SET1(0.999f), b = SET1(1e-6f);                               \
    const double t0 = now();                                                   \
    for (long i = 0; i < n; ++i) {                                             \
      for (int j = 0; j < N; ++j)                                              \
        c[j] = FMA(c[j], a, b);                                                \
      __asm__ volatile("" ::"v"(c[0]), "v"(c[4]), "v"(c[8]), "v"(c[N - 1]));   \
    }                                                                          \
    const double dt = now() - t0;                                              \
    for (int j = 1; j < N; ++j)                                                \
      c[0] = FMA(c[0], a, c[j]);                                               \
    volatile VEC sink = c[0]; /* no address taken: c stays in registers */     \
    (void)sink;                                                                \
    return N * LANES * 2.0 * n / dt / 1e9;                                     \
  }
/* 16 chains in 32 zmm registers, 12 in 16 ymm (with a and b, no spills). */
PEAK(peak512, "avx512f", __m512, _mm512_set1_ps, _mm512_fmadd_ps, 16, 16)
PEAK(peak256, "avx2,fma", __m256, _mm256_set1_ps, _mm256_fmadd_ps, 8, 12)
#endif

int main(void) {
  double p512 = 0, p256 = 0;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    peak512(20000000); /* the clock settles at its AVX-512 licence */
    p512 = peak512(100000000);
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    peak256(20000000);
    p256 = peak256(100000000);
  }
#endif
  printf("{\"avx512\": %.1f, \"avx2\": %.1f}\n", p512, p256);
  return 0;
}
