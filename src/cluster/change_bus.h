// ChangeBus: tells the other nodes of a cluster, through a Redis Stream,
// that this node committed, so their ChangeFeeds read the store's change
// log at once instead of at their next poll.
//
// The stream carries positions, not the changes: the store's change log
// stays the one source of what changed and in which order. Each entry is
// {pos: <last position of a commit>, node: <node id>}; a node reading an
// entry of another node wakes its feed, which reads the log from its own
// last position, so a lost or late entry never loses a change, it only
// delays it to the feed's next poll. The stream is trimmed to about
// Options::max_len entries.
//
// Degrading: while Redis answers, the feed polls every
// Options::announced_poll (a safety net for a node that died between its
// commit and its announcement); when Redis cannot be reached, every
// Options::unannounced_poll, and the bus reconnects in the background.
// Writes never wait for Redis.
//
//   ChangeBus bus(*ParseRedisUrl(url), feed, "host:pid", {});
//   bus.Start();           // before feed.Start(): hooks the local commits
//   ...
//   bus.Stop();
//
// Thread-safety: Start/Stop from the owner thread; healthy() and Status()
// from any thread.
#ifndef TAILOR_CLUSTER_CHANGE_BUS_H_
#define TAILOR_CLUSTER_CHANGE_BUS_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cluster/redis_client.h"
#include "storage/change_feed.h"

namespace tailor::cluster {

class ChangeBus {
 public:
  struct Options {
    std::string stream = "tailor:changes";
    int64_t max_len = 10000;
    // How long one XREAD waits on the server.
    absl::Duration block = absl::Seconds(1);
    absl::Duration timeout = absl::Seconds(2);
    absl::Duration announced_poll = absl::Seconds(1);
    absl::Duration unannounced_poll = absl::Milliseconds(100);
    // Wait before reconnecting after a failure.
    absl::Duration retry = absl::Milliseconds(500);
  };
  ChangeBus(RedisEndpoint endpoint, storage::ChangeFeed& feed, std::string node_id,
            Options options);
  // Stop().
  ~ChangeBus();
  ChangeBus(const ChangeBus&) = delete;
  ChangeBus& operator=(const ChangeBus&) = delete;

  // Hooks the feed's local commits (call before feed.Start()) and starts the
  // announcing and listening threads.
  void Start();
  void Stop();

  // Whether the last exchange with Redis, on both threads, succeeded.
  bool healthy() const { return publisher_ok_.load() && listener_ok_.load(); }
  // OK, or why Redis is unreachable.
  absl::Status Status() const;
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  void Announce(int64_t position);
  void PublishLoop();
  void ListenLoop();
  void SetHealth(std::atomic<bool>& flag, const absl::Status& status);

  const RedisEndpoint endpoint_;
  storage::ChangeFeed& feed_;
  const std::string node_id_;
  const Options options_;

  mutable absl::Mutex mu_;
  int64_t announced_ ABSL_GUARDED_BY(mu_) = 0;  // latest local commit
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> publisher_ok_{true};
  std::atomic<bool> listener_ok_{false};  // until the first XREAD answers
  bool started_ = false;                  // owner thread only
  std::thread publisher_;
  std::thread listener_;
};

}  // namespace tailor::cluster

#endif  // TAILOR_CLUSTER_CHANGE_BUS_H_
