// Campaigns: one template decided for a whole audience as a batch job.
// POST /v1/campaigns queues a campaign on the batch queue (bounded per
// tenant: a full queue answers ResourceExhausted, 429 Retry-After; tenants
// are served in turn); one low-priority worker
// decides for each user of the audience in id order through the same
// Notifier as real-time decisions, and after each chunk commits, in one
// write, the chunk's decisions, one result record per user and the
// campaign's progress. A server restarted mid-campaign resumes after the last
// committed user.
//
//   {"template_id": "weekly",
//    "audience": {"user_ids": ["u1", "u2"]}      up to 10,000 ids
//              | {"attributes": {"plan": "pro"}} users whose attributes equal these
//              | {"all": true},
//    "channels": [...], "window": {...}, "category": "marketing", "segment": "..."}
//
// Results: GET /v1/campaigns/{id}/results answers JSON lines, one per user:
// {"user_id", "decision_id", "channel", "variant_id", "send_at", "suppressed"}.
#ifndef TAILOR_NOTIFY_CAMPAIGN_RUNNER_H_
#define TAILOR_NOTIFY_CAMPAIGN_RUNNER_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "domain/tenant.h"
#include "notify/notifier.h"
#include "storage/lease.h"
#include "storage/store.h"

namespace tailor::notify {

inline constexpr char kCampaignsCollection[] = "campaigns";

struct CampaignRunnerOptions {
  // Campaigns waiting, per tenant: one tenant's backlog never refuses
  // another's campaign. More is ResourceExhausted. The worker takes tenants
  // in turn, so one tenant's queue does not delay the others' by more than
  // one campaign each.
  size_t max_queued = 16;
  int chunk = 100;    // users decided per commit (small: real-time commits wait behind it)
  uint64_t seed = 1;  // campaign ids
  // Several nodes may share the store. A campaign runs on the node holding
  // its lease ("campaign/<id>", renewed every chunk); every chunk's commit is
  // conditional on the campaign record's version, so two nodes can never
  // both commit the same chunk. A node looks for unclaimed queued or
  // running campaigns (e.g. of a node that died) every `rescan` interval.
  std::string node_id = "local";
  absl::Duration lease_ttl = absl::Seconds(30);
  absl::Duration rescan = absl::Seconds(10);
};

class CampaignRunner {
 public:
  CampaignRunner(storage::Store& store, Notifier& notifier, Clock& clock,
                 CampaignRunnerOptions options = {});
  ~CampaignRunner();  // Stop()

  // Validates `body`, stores the campaign as queued and queues it. Errors:
  // InvalidArgument naming the field, NotFound for the template,
  // ResourceExhausted when the batch queue is full.
  absl::StatusOr<boost::json::object> Submit(domain::TenantId tenant,
                                             const boost::json::value& body);
  // The stored campaign with its progress. NotFound when unknown.
  absl::StatusOr<boost::json::object> Get(domain::TenantId tenant, std::string_view id);
  // Calls `line` with each result as one JSON text, in user id order.
  absl::Status Results(domain::TenantId tenant, std::string_view id,
                       const std::function<void(const std::string&)>& line);

  // Re-queues campaigns of every tenant left queued or running by a previous
  // process, then starts the worker.
  absl::Status Start();
  // Stops after the current chunk; unfinished campaigns stay resumable.
  void Stop();

 private:
  struct Job {
    domain::TenantId tenant;
    std::string id;
  };
  void Run();
  // Runs `job` if this node gets its lease.
  absl::Status RunCampaign(const Job& job);
  absl::Status RunCampaignHeld(const Job& job, const std::string& lease);
  // Queues the tenant's campaigns left queued or running that are not
  // queued here already.
  absl::Status Rescan();

  storage::Store& store_;
  Notifier& notifier_;
  Clock& clock_;
  CampaignRunnerOptions options_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mu_);
  domain::TenantId last_tenant_ ABSL_GUARDED_BY(mu_) = 0;  // of the last campaign taken
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_);
  std::thread worker_;
  storage::Leases leases_;
};

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_CAMPAIGN_RUNNER_H_
