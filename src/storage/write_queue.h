// WriteQueue: the queue between a store's callers and its single writer
// thread, shared by every backend. Callers push requests; the writer takes
// them in groups that share one transaction (group commit).
//
//   WriteQueue<Pending> queue(options.max_queued_writes);
//   queue.Push(std::move(p));                 // any thread
//   std::vector<Pending> group;
//   while (queue.PopGroup(group)) { Commit(group); group.clear(); }   // the writer
//
// `Pending` has `size_t weight` (rows it will write) and
// `WriteCallback done`. Thread-safety: every method may be called from any
// thread.
#ifndef TAILOR_STORAGE_WRITE_QUEUE_H_
#define TAILOR_STORAGE_WRITE_QUEUE_H_

#include <deque>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace tailor::storage {

template <typename Pending>
class WriteQueue {
 public:
  static constexpr size_t kMaxGroupWeight = 200000;  // rows per group commit
  static constexpr size_t kMaxGroupRequests = 4096;

  explicit WriteQueue(size_t max_queued) : max_queued_(max_queued) {}

  // Queues `pending`, or answers it at once without applying anything:
  // Unavailable once the queue is closed, ResourceExhausted when
  // `max_queued` requests wait already (the caller should retry later).
  void Push(Pending pending) {
    absl::MutexLock lock(&mu_);
    if (closed_) {
      pending.done(absl::UnavailableError("store is shutting down"));
      return;
    }
    if (queue_.size() >= max_queued_) {
      pending.done(absl::ResourceExhaustedError("write queue is full; retry shortly"));
      return;
    }
    queue_.push_back(std::move(pending));
  }

  // Waits for requests, then moves the oldest ones into `group`: at least
  // one, at most kMaxGroupRequests and kMaxGroupWeight rows. False once the
  // queue is closed and drained.
  bool PopGroup(std::vector<Pending>& group) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](WriteQueue* q) ABSL_EXCLUSIVE_LOCKS_REQUIRED(q->mu_) {
          return q->closed_ || !q->queue_.empty();
        },
        this));
    if (queue_.empty()) return false;
    size_t weight = 0;
    while (!queue_.empty() && group.size() < kMaxGroupRequests &&
           (group.empty() || weight + queue_.front().weight <= kMaxGroupWeight)) {
      weight += queue_.front().weight;
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return true;
  }

  // Refuses new requests; those queued are still handed out by PopGroup.
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_WRITE_QUEUE_H_
