// Webhooks: tenants register URLs for "decision.created", "profile.updated"
// and "quality.threshold_failed"; each announcement is POSTed to every
// matching URL as
//
//   {"id": "whd_...", "type": "decision.created", "created_at": "...Z", "data": {...}}
//
// signed with the webhook's secret:
//
//   Tailor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// (receivers recompute it and reject old timestamps to stop replays).
//
// Each node delivers with a few threads (WebhookOptions::workers); one tenant
// holds at most `per_tenant` of them and tenants are served in turn, so a
// slow receiver delays only its own tenant. Deleting a webhook drops its
// queued deliveries.
// Deliveries go through an outbox in the store (webhook_outbox.cc): the
// write that causes an announcement also stores one outbox record per
// subscribed webhook (AddDeliveries), so a delivery exists exactly when its
// cause is committed. Every node follows the outbox through the change log;
// one node claims an entry (compare-and-set on its version, for twice the
// timeout), POSTs it and deletes it; a failure (connection error, timeout,
// non-2xx) puts it back unclaimed with exponential backoff (base, 2 base,
// ...) up to max_attempts. An entry whose node died is claimed again once
// its claim lapses (nodes rescan the outbox every rescan_interval). So each
// announcement reaches each webhook at least once, normally once; the
// envelope id (also the Tailor-Event-Id header) stays the same across
// retries so receivers can drop repeats.
// Only http:// URLs are delivered (TLS is not implemented yet), and only to
// public addresses unless allowed (webhook_url.h: SSRF protection).
// profile.updated is sent at most once per user per profile_interval (per
// node).
//
//   WebhookDispatcher hooks(store, clock, "node-1");
//   feed.Subscribe("webhooks", [&](const Change& c) { hooks.ApplyChange(c); });
//   hooks.Start();
//   hooks.AddDeliveries(tenant, "decision.created", decision_json, batch);  // then write batch
#ifndef TAILOR_API_WEBHOOKS_H_
#define TAILOR_API_WEBHOOKS_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/webhook_url.h"
#include "common/clock.h"
#include "domain/tenant.h"
#include "storage/store.h"

namespace tailor::api {

inline constexpr char kWebhooksCollection[] = "webhooks";
inline constexpr char kWebhookOutboxCollection[] = "webhook_outbox";
inline constexpr const char* kWebhookEvents[] = {"decision.created", "profile.updated",
                                                 "quality.threshold_failed"};

struct WebhookOptions {
  int max_attempts = 5;
  absl::Duration base_backoff = absl::Seconds(1);
  absl::Duration timeout = absl::Seconds(5);
  absl::Duration profile_interval = absl::Seconds(60);
  // How often each node looks for outbox entries nobody announced to it
  // (claims that lapsed, entries written before it started).
  absl::Duration rescan_interval = absl::Seconds(10);
  // Which addresses deliveries may go to: public ones, plus these networks
  // (serve --webhook-allow; the tests allow loopback for their receivers).
  AddressPolicy address_policy;
  // Delivery threads, and how many of them one tenant may hold at once: a
  // slow receiver delays its own tenant's deliveries only.
  int workers = 4;
  int per_tenant = 2;
};

// HMAC-SHA256 of "<t>.<body>" in lower-case hex (what Tailor-Signature carries).
std::string WebhookSignature(std::string_view secret, int64_t t, std::string_view body);

class WebhookDispatcher {
 public:
  // `node_id` names this process in outbox claims.
  WebhookDispatcher(storage::Store& store, Clock& clock, std::string node_id,
                    WebhookOptions options = {});
  ~WebhookDispatcher();  // Stop()

  // Starts the worker, which first rescans the outbox.
  void Start();
  // Stops the worker; entries it had claimed are delivered by another node
  // (or this one after a restart) once the claim lapses.
  void Stop();

  // Validates a PUT body ({"url", "events": [...], "secret"?}); a missing
  // secret is generated. Returns the document to store (InvalidArgument with
  // field errors otherwise).
  // A URL whose host is an address the policy refuses is refused here; a
  // host name is checked at each delivery, after resolving it.
  static absl::StatusOr<boost::json::object> ParseWebhook(const boost::json::value& body,
                                                          const AddressPolicy& policy);
  const AddressPolicy& address_policy() const { return options_.address_policy; }
  // Keeps the in-memory subscriptions in step with the store (ApplyChange
  // calls them for every node's writes).
  void OnWebhookStored(domain::TenantId tenant, const std::string& id,
                       const boost::json::object& doc);
  void OnWebhookDeleted(domain::TenantId tenant, const std::string& id);
  // A change-feed subscriber: outbox entries to deliver, webhooks created,
  // changed or deleted on any node.
  void ApplyChange(const storage::Change& change);
  // Delivery counters of one webhook: delivered, failed, last_status, last_error.
  boost::json::object Stats(domain::TenantId tenant, const std::string& id);

  // Adds an outbox entry for `data` to `batch` for every webhook of `tenant`
  // subscribed to `type`: written with the batch, delivered after it commits.
  void AddDeliveries(domain::TenantId tenant, std::string_view type,
                     const boost::json::object& data, storage::WriteBatch& batch);
  // profile.updated for each of `user_ids`, at most once per user per interval.
  void AddProfilesUpdated(domain::TenantId tenant, const std::vector<std::string>& user_ids,
                          storage::WriteBatch& batch);

 private:
  struct Hook {
    std::string id;
    std::string url;
    std::string secret;
    std::vector<std::string> events;
  };
  // An outbox entry this node may claim once it is due.
  struct Pending {
    domain::TenantId tenant;
    std::string id;   // the record id, also the envelope's "id"
    int64_t version;  // the record version it was seen at
    absl::Time due;
    std::string hook_id;
    bool operator>(const Pending& o) const { return due > o.due; }
  };
  // One tenant's entries, earliest due first, and its deliveries in flight.
  struct TenantQueue {
    std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> pending;
    int in_flight = 0;
  };
  struct Delivery {
    std::string url;
    std::string secret;
    std::string event_id;
    std::string body;
  };
  struct Counters {
    int64_t delivered = 0;
    int64_t failed = 0;  // gave up after max_attempts
    int64_t retries = 0;
    int last_status = 0;
    std::string last_error;
  };
  const std::vector<Hook>& HooksLocked(domain::TenantId tenant);
  // One delivery thread; worker 0 also rescans the outbox.
  void Run(int worker);
  // The next due entry of a tenant with a free delivery slot, tenants taken
  // in turn; takes the slot. False when none is due.
  bool TakeDueLocked(absl::Time now, Pending* out);
  // When the next entry a free slot could take falls due.
  absl::Time NextDueLocked() const;
  // Queues the outbox entry `doc` (JSON text) when it is unclaimed or its
  // claim lapsed.
  void Offer(domain::TenantId tenant, const std::string& id, int64_t version, std::string_view doc);
  // Claims, posts and settles one entry (webhook_outbox.cc).
  void Deliver(const Pending& p);
  void Rescan();
  // Status code of one POST, or an error.
  absl::StatusOr<int> Post(const Delivery& d, int64_t t);

  storage::Store& store_;
  Clock& clock_;
  const std::string node_id_;
  WebhookOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<domain::TenantId, std::vector<Hook>> hooks_;
  std::map<domain::TenantId, TenantQueue> queues_;
  domain::TenantId last_served_ = 0;
  std::map<std::pair<domain::TenantId, std::string>, Counters> counters_;
  std::unordered_map<std::string, absl::Time> profile_sent_;  // "<tenant>/<user>"
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace tailor::api

#endif  // TAILOR_API_WEBHOOKS_H_
