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
// A delivery that fails (connection error, timeout, non-2xx) is retried with
// exponential backoff (base, 2 base, 4 base, ...) up to max_attempts. The
// queue is bounded; when full, new announcements are dropped and counted.
// Only http:// URLs are delivered (TLS is not implemented yet).
// profile.updated is sent at most once per user per profile_interval.
//
//   WebhookDispatcher hooks(store, clock);
//   hooks.Start();
//   hooks.Publish(tenant, "decision.created", decision_json);
#ifndef TAILOR_API_WEBHOOKS_H_
#define TAILOR_API_WEBHOOKS_H_

#include <condition_variable>
#include <map>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "domain/tenant.h"
#include "storage/store.h"

namespace tailor::api {

inline constexpr char kWebhooksCollection[] = "webhooks";
inline constexpr const char* kWebhookEvents[] = {"decision.created", "profile.updated",
                                                 "quality.threshold_failed"};

struct WebhookOptions {
  size_t max_queue = 10000;
  int max_attempts = 5;
  absl::Duration base_backoff = absl::Seconds(1);
  absl::Duration timeout = absl::Seconds(5);
  absl::Duration profile_interval = absl::Seconds(60);
};

// HMAC-SHA256 of "<t>.<body>" in lower-case hex (what Tailor-Signature carries).
std::string WebhookSignature(std::string_view secret, int64_t t, std::string_view body);

class WebhookDispatcher {
 public:
  WebhookDispatcher(storage::Store& store, Clock& clock, WebhookOptions options = {});
  ~WebhookDispatcher();  // Stop()

  void Start();
  // Stops the worker; queued deliveries are dropped.
  void Stop();

  // Validates a PUT body ({"url", "events": [...], "secret"?}); a missing
  // secret is generated. Returns the document to store (InvalidArgument with
  // field errors otherwise).
  static absl::StatusOr<boost::json::object> ParseWebhook(const boost::json::value& body);
  // Keeps the in-memory subscriptions in step with the store.
  void OnWebhookStored(domain::TenantId tenant, const std::string& id, const boost::json::object& doc);
  void OnWebhookDeleted(domain::TenantId tenant, const std::string& id);
  // Delivery counters of one webhook: delivered, failed, last_status, last_error.
  boost::json::object Stats(domain::TenantId tenant, const std::string& id);

  // Queues `data` for every webhook of `tenant` subscribed to `type`. Never blocks.
  void Publish(domain::TenantId tenant, std::string_view type, boost::json::object data);
  // profile.updated for each of `user_ids`, at most once per user per interval.
  void PublishProfilesUpdated(domain::TenantId tenant, const std::vector<std::string>& user_ids);

  int64_t dropped() const;

 private:
  struct Hook {
    std::string id;
    std::string url;
    std::string secret;
    std::vector<std::string> events;
  };
  struct Delivery {
    domain::TenantId tenant;
    std::string hook_id;
    std::string url;
    std::string secret;
    std::string event_id;  // the envelope's "id"
    std::string body;
    int attempt = 0;
    absl::Time due;
    bool operator>(const Delivery& o) const { return due > o.due; }
  };
  struct Counters {
    int64_t delivered = 0;
    int64_t failed = 0;  // gave up after max_attempts
    int64_t retries = 0;
    int last_status = 0;
    std::string last_error;
  };
  const std::vector<Hook>& HooksLocked(domain::TenantId tenant);
  void Run();
  // Status code of one POST, or an error.
  absl::StatusOr<int> Post(const Delivery& d, int64_t t);

  storage::Store& store_;
  Clock& clock_;
  WebhookOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<domain::TenantId, std::vector<Hook>> hooks_;
  std::priority_queue<Delivery, std::vector<Delivery>, std::greater<Delivery>> queue_;
  std::map<std::pair<domain::TenantId, std::string>, Counters> counters_;
  std::unordered_map<std::string, absl::Time> profile_sent_;  // "<tenant>/<user>"
  int64_t dropped_ = 0;
  uint64_t next_delivery_ = 1;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace tailor::api

#endif  // TAILOR_API_WEBHOOKS_H_
