//===- Parallel.h - work split over an enclosing OpenMP region --*- C++ -*-===//
//
// libomp allocates when it sets up a work-sharing loop and when it
// serialises a parallel region, and a training step must not allocate: the
// runtime's kernels open a parallel region only when more than one thread
// may run, and split work inside it by hand.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_PARALLEL_H
#define HEBB_RUNTIME_PARALLEL_H

#include <algorithm>
#include <cstdint>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace hebb::runtime {

/// Whether work of `flops` operations should wake the other threads, for a
/// kernel that starts `threshold` operations' worth of set-up per thread.
inline bool worthThreads(double flops, double threshold = 1.0e6) {
#ifdef _OPENMP
  return flops >= threshold && omp_get_max_threads() > 1 && !omp_in_parallel();
#else
  (void)flops;
  (void)threshold;
  return false;
#endif
}

/// Whether `elements` floats of copying are worth waking threads for.
inline bool threadedCopy(int64_t elements) {
  return worthThreads(8.0 * double(elements));
}

/// The threads a region opened now may have, and this thread's index in
/// the enclosing region (0 outside one, or when not `shared`).
inline int64_t maxThreads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}
inline int64_t threadIndex(bool shared) {
#ifdef _OPENMP
  return shared ? omp_get_thread_num() : 0;
#else
  (void)shared;
  return 0;
#endif
}

/// Whether the threads wait for each other after their shares of work: a
/// later phase reads what others wrote, or each thread goes on with what
/// it wrote itself (the same split of the same n gives it the same share).
enum class Sync { barrier, none };

/// f(lo, hi) on this thread's contiguous share [lo, hi) of [0, n): all of
/// it unless `shared`, else split over the enclosing parallel region's
/// threads (and a barrier after, unless Sync::none).
template <typename F>
void forRange(int64_t n, bool shared, const F &f, Sync sync = Sync::barrier) {
  int64_t lo = 0, hi = n;
#ifdef _OPENMP
  if (shared) {
    int64_t threads = omp_get_num_threads(),
            chunk = (n + threads - 1) / threads;
    lo = std::min(n, omp_get_thread_num() * chunk);
    hi = std::min(n, lo + chunk);
  }
#endif
  f(lo, hi);
#ifdef _OPENMP
  if (shared && sync == Sync::barrier) {
#pragma omp barrier
  }
#endif
}

/// Waits for the enclosing region's other threads when `shared`.
inline void barrier(bool shared) {
#ifdef _OPENMP
  if (shared) {
#pragma omp barrier
  }
#else
  (void)shared;
#endif
}

/// f(0) ... f(n - 1), shared out as forRange does.
template <typename F>
void forEach(int64_t n, bool shared, const F &f, Sync sync = Sync::barrier) {
  forRange(
      n, shared,
      [&f](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i)
          f(i);
      },
      sync);
}

/// run(shared): in a parallel region when `threaded`, else on this thread
/// with no OpenMP call at all.
template <typename F> void maybeParallel(bool threaded, const F &run) {
  if (threaded) {
#pragma omp parallel
    run(true);
  } else {
    run(false);
  }
}

} // namespace hebb::runtime

#endif // HEBB_RUNTIME_PARALLEL_H
