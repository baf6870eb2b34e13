//===- ParallelForTest.cpp - hebb_parallel_for's split of a range ---------===//

#include "hebb/runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

/// The ranges one hebb_parallel_for call hands out, sorted.
struct Calls {
  std::mutex lock;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  static void record(void *self, int64_t lo, int64_t hi) {
    auto *calls = static_cast<Calls *>(self);
    std::lock_guard<std::mutex> guard(calls->lock);
    calls->ranges.push_back({lo, hi});
  }
  std::vector<std::pair<int64_t, int64_t>> sorted() {
    std::sort(ranges.begin(), ranges.end());
    return ranges;
  }
};

std::vector<std::pair<int64_t, int64_t>> split(int threads, int64_t n,
                                               int64_t grain, int64_t work) {
#ifdef _OPENMP
  int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
#endif
  Calls calls;
  hebb_parallel_for(&Calls::record, &calls, n, grain, work);
#ifdef _OPENMP
  omp_set_num_threads(saved);
#endif
  return calls.sorted();
}

using Ranges = std::vector<std::pair<int64_t, int64_t>>;

TEST(ParallelFor, SmallWorkStaysOnTheCallingThread) {
  EXPECT_EQ(split(2, 1000, 1, HEBB_PARALLEL_MIN_WORK - 1), (Ranges{{0, 1000}}));
  EXPECT_EQ(split(2, 64, 64, 1 << 30), (Ranges{{0, 64}}));
  EXPECT_EQ(split(2, 0, 1, 1 << 30), (Ranges{{0, 0}}));
}

TEST(ParallelFor, OneThreadTakesTheWholeRange) {
  EXPECT_EQ(split(1, 1000, 1, 1 << 30), (Ranges{{0, 1000}}));
}

#ifdef _OPENMP
TEST(ParallelFor, TwoThreadsShareTheRangeOnGrainBoundaries) {
  // 1000 iterations in blocks of 64: 16 blocks, 8 each.
  EXPECT_EQ(split(2, 1000, 64, 1 << 30), (Ranges{{0, 512}, {512, 1000}}));
  EXPECT_EQ(split(2, 7, 1, 1 << 30), (Ranges{{0, 4}, {4, 7}}));
  // Fewer blocks than threads: the idle thread gets no call.
  EXPECT_EQ(split(3, 100, 64, 1 << 30), (Ranges{{0, 64}, {64, 100}}));
}

TEST(ParallelFor, InsideAParallelRegionEachCallerRunsItsWholeRange) {
  Calls calls;
  int saved = omp_get_max_threads();
  omp_set_num_threads(2);
#pragma omp parallel
  hebb_parallel_for(&Calls::record, &calls, 100, 1, 1 << 30);
  omp_set_num_threads(saved);
  EXPECT_EQ(calls.sorted(), (Ranges{{0, 100}, {0, 100}}));
}
#endif

} // namespace
