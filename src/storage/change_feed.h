// ChangeFeed: delivers the store's change log (Store::ReadChanges), in commit
// order, to this process's subscribers, each on its own thread, so neither
// the store's writer thread nor a request handler ever runs a subscriber.
// This process's own commits are handed over by the store as they commit
// (Store::SetCommitObserver) and delivered without reading them back, as
// long as they follow the last delivered position without a gap. Everything
// else (other processes' writes on a shared store, or a gap) is read from the
// log by a tailer thread, which wakes on a gap, on Notify() (e.g. another node
// announced a commit) or every poll interval.
//
//   ChangeFeed feed(store, {});
//   feed.Subscribe("serving", [&](const Change& c) { engine.Apply(c); });
//   feed.Start(*store.LastChangePosition());
//   ... after a write answered with position p:
//   feed.WaitDelivered(p, absl::Seconds(1));   // read-your-writes for the caller
//
// Thread-safety: every method may be called from any thread; Subscribe only
// before Start.
#ifndef TAILOR_STORAGE_CHANGE_FEED_H_
#define TAILOR_STORAGE_CHANGE_FEED_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "storage/store.h"

namespace tailor::storage {

class ChangeFeed {
 public:
  struct Options {
    // How often the tailer looks for changes nobody announced.
    absl::Duration poll_interval = absl::Milliseconds(100);
    int read_batch = 500;
  };
  ChangeFeed(Store& store, Options options);
  // Stop().
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // `fn` sees every change after the start position exactly once, in
  // position order, on a thread of its own. Before Start() only.
  void Subscribe(std::string name, std::function<void(const Change&)> fn);
  // `fn` learns the last position of each of this process's commits, on the
  // store's writer thread (so it must not block): how a node announces its
  // commits to the others (cluster::ChangeBus). Before Start() only.
  void OnLocalCommit(std::function<void(int64_t position)> fn);
  // Starts delivering changes with position > `after`, and registers as the
  // store's commit observer.
  void Start(int64_t after);
  // Asks the tailer to read now.
  void Notify();
  // How often the tailer reads unannounced changes from now on (longer
  // while another node's commits are announced, see cluster::ChangeBus).
  void SetPollInterval(absl::Duration interval);
  // Waits until every subscriber has handled every change up to `position`
  // (true), or `timeout` passed (false).
  bool WaitDelivered(int64_t position, absl::Duration timeout);
  // Runs `fn` once every subscriber has handled every change up to
  // `position`: at once when that is already so (or the feed is stopped),
  // otherwise on the thread of the subscriber that finishes last. `fn` must
  // not block. This is how a write is answered only after it is applied.
  void WhenDelivered(int64_t position, std::function<void()> fn);
  // The position up to which every subscriber has handled every change.
  int64_t delivered();
  // Stops reading; each subscriber finishes the changes already read.
  void Stop();

 private:
  struct Subscriber {
    std::string name;
    std::function<void(const Change&)> fn;
    std::deque<std::shared_ptr<const Change>> queue;  // guarded by mu_
    int64_t done = 0;  // last position handled; guarded by mu_
    std::thread thread;
  };
  void TailLoop();
  // The store's commit observer: takes this process's changes.
  void Offer(std::vector<Change>& changes);
  void SubscriberLoop(Subscriber* s);
  int64_t DeliveredLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Takes the waiters whose position is now delivered (run them unlocked).
  std::vector<std::function<void()>> TakeReadyLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Store& store_;
  const Options options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;  // fixed once started
  int64_t read_ ABSL_GUARDED_BY(mu_) = 0;                 // last position read
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::multimap<int64_t, std::function<void()>> waiters_ ABSL_GUARDED_BY(mu_);
  absl::Duration poll_interval_ ABSL_GUARDED_BY(mu_);
  std::function<void(int64_t)> on_local_commit_;  // fixed once started
  bool started_ = false;  // owner thread only (Start/Stop)
  bool stopped_ = false;
  std::thread tailer_;
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_CHANGE_FEED_H_
