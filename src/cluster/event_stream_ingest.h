// EventStreamIngest: events that producers XADD to a Redis Stream per
// tenant, stored like POST /v1/events stores them.
//
// Producers add entries with one field, `event`, holding the same JSON
// object POST /v1/events takes:
//   XADD tailor:events:<tenant name> * event
//   '{"user_id":"u1","item_id":"i9","type":"click","event_id":"e1"}'
// Every node reads every tenant's stream in one consumer group
// (Options::group), so each entry is handled by one node. Delivery is at
// least once: an entry is acknowledged (XACK) only after its event is
// committed, and entries a node took but did not acknowledge (it died) are
// claimed by another node after Options::claim_idle. Give events an
// `event_id`: the store drops retried ids, which makes redelivery harmless.
// An entry that is not a valid event goes to the tenant's dead-letter stream
// <key>:dead with fields `id` (the original entry id), `reason` (which
// field is wrong and why) and `event` (the payload as sent), then is
// acknowledged: never silently dropped, never retried forever.
//
// A Kafka topic would be consumed the same way: a consumer group per
// cluster, the offset committed after the write instead of XACK (Kafka
// redelivers from the last committed offset when a consumer dies, so no
// claiming is needed), dead letters produced to a second topic.
//
// Thread-safety: Start/Stop from the owner thread; stats() from any thread.
#ifndef TAILOR_CLUSTER_EVENT_STREAM_INGEST_H_
#define TAILOR_CLUSTER_EVENT_STREAM_INGEST_H_

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cluster/redis_client.h"
#include "common/clock.h"
#include "domain/event.h"
#include "storage/store.h"

namespace tailor::cluster {

class EventStreamIngest {
 public:
  struct Options {
    std::string key_prefix = "tailor:events:";  // + tenant name
    std::string group = "tailor";
    int batch = 500;
    absl::Duration block = absl::Seconds(1);
    absl::Duration timeout = absl::Seconds(2);
    absl::Duration retry = absl::Milliseconds(500);
    // Entries another consumer took this long ago without acknowledging
    // them are taken over.
    absl::Duration claim_idle = absl::Seconds(30);
    // How often new tenants and abandoned entries are looked for.
    absl::Duration rescan = absl::Seconds(10);
    int64_t dead_letter_max_len = 100000;
  };
  // Adds to the batch what storing `events` implies besides the events
  // (notification attribution, which may also add to the events' context);
  // may be empty.
  using Prepare =
      std::function<void(domain::TenantId, std::vector<domain::Event>&, storage::WriteBatch&)>;
  struct Stats {
    int64_t accepted = 0;
    int64_t duplicates = 0;
    int64_t dead = 0;
  };

  // `consumer` names this node in the group (unique per process).
  EventStreamIngest(RedisEndpoint endpoint, storage::Store& store, Clock& clock,
                    std::string consumer, Prepare prepare, Options options);
  ~EventStreamIngest();
  EventStreamIngest(const EventStreamIngest&) = delete;
  EventStreamIngest& operator=(const EventStreamIngest&) = delete;

  void Start();
  void Stop();
  Stats stats() const;

  // The stream a tenant's producers write to, and its dead letters.
  std::string StreamKey(std::string_view tenant_name) const;
  static std::string DeadLetterKey(std::string_view stream_key);

 private:
  struct Tenant {
    domain::TenantId id = 0;
    std::string key;
  };
  void Loop();
  absl::Status Rescan(RedisClient& redis);
  // Stores the entries' events and acknowledges them; the invalid ones go
  // to the dead-letter stream. Not OK: nothing was acknowledged that is
  // not stored or dead-lettered; the rest stay pending and are read again.
  absl::Status Handle(RedisClient& redis, const Tenant& tenant,
                      const std::vector<StreamEntry>& entries);
  absl::Status DeadLetter(RedisClient& redis, const Tenant& tenant, const StreamEntry& entry,
                          std::string_view reason);
  absl::Status Ack(RedisClient& redis, const Tenant& tenant, const std::vector<std::string>& ids);
  void Pause();

  const RedisEndpoint endpoint_;
  storage::Store& store_;
  Clock& clock_;
  const std::string consumer_;
  const Prepare prepare_;
  const Options options_;

  std::vector<Tenant> tenants_;  // loop thread only
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Stats stats_ ABSL_GUARDED_BY(mu_);
  bool started_ = false;
  std::thread thread_;
};

}  // namespace tailor::cluster

#endif  // TAILOR_CLUSTER_EVENT_STREAM_INGEST_H_
