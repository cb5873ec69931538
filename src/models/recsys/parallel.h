// ParallelFor: spreads independent work items over a few std::threads with
// dynamic chunking (item-kNN rows and ALS solves are skewed by popularity, so
// static halves would leave one core idle).
//
//   tailor::recsys::ParallelFor(n_items, 2, [&](int64_t i, int thread) { ... });
//
// `fn(i, thread)` is called exactly once per i in [0, n), with thread in
// [0, num_threads). Calls with the same `thread` never overlap, so per-thread
// scratch buffers indexed by `thread` need no locking. Returns after all calls.
#ifndef TAILOR_MODELS_RECSYS_PARALLEL_H_
#define TAILOR_MODELS_RECSYS_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace tailor::recsys {

template <typename Fn>
void ParallelFor(int64_t n, int num_threads, Fn&& fn, int64_t grain = 16) {
  num_threads = std::max(1, num_threads);
  if (num_threads == 1 || n <= grain) {
    for (int64_t i = 0; i < n; ++i) fn(i, 0);
    return;
  }
  std::atomic<int64_t> next{0};
  auto worker = [&](int thread) {
    for (;;) {
      const int64_t begin = next.fetch_add(grain);
      if (begin >= n) return;
      const int64_t end = std::min(n, begin + grain);
      for (int64_t i = begin; i < end; ++i) fn(i, thread);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < num_threads; ++t) threads.emplace_back(worker, t);
  worker(0);
  for (auto& t : threads) t.join();
}

}  // namespace tailor::recsys

#endif  // TAILOR_MODELS_RECSYS_PARALLEL_H_
