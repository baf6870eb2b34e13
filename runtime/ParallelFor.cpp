//===- ParallelFor.cpp - compiled loop nests split over threads -----------===//

#include "Parallel.h"
#include "hebb/runtime.h"

void hebb_parallel_for(void (*task)(void *, int64_t, int64_t), void *args,
                       int64_t n, int64_t grain, int64_t work) {
  grain = std::max<int64_t>(grain, 1);
  if (n <= grain ||
      !hebb::runtime::worthThreads(double(work), HEBB_PARALLEL_MIN_WORK)) {
    task(args, 0, n);
    return;
  }
  int64_t blocks = (n + grain - 1) / grain;
#pragma omp parallel
  {
    int64_t threads = 1, thread = 0;
#ifdef _OPENMP
    threads = omp_get_num_threads();
    thread = omp_get_thread_num();
#endif
    int64_t share = (blocks + threads - 1) / threads * grain,
            lo = std::min(n, thread * share), hi = std::min(n, lo + share);
    if (lo < hi)
      task(args, lo, hi);
  }
}
