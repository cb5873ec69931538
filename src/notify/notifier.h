// Notification decisions: for one user and one template, which variant, on
// which channel, at what time, with what content, or why nothing may be
// sent. The pipeline (docs/NOTIFICATIONS.md):
//
//   channels   requested ∩ the template's ∩ reachable ∩ consented
//              (domain/contact_policy.h) ∩ under the frequency caps, scheduled
//              sends included (marketing only)
//              -> per-user engagement posterior shrunk to the tenant's rate,
//              a Thompson draw; a stated preference wins when eligible
//   variant    Thompson sampling of the template's objective (opens,
//              clicks, conversion) per (template, segment, variant), tilted by the user's learned
//              tone/length preferences; variants that fail to render
//              (missing variable, channel limit) are skipped
//   send time  the best local hour in the window from the user's activity
//              histogram shrunk to the tenant's; quiet hours move it to the
//              nearest allowed edge (marketing only; transactional goes now)
//   quality    data x model x render confidence; below the tenant's
//              threshold the tenant's safe default template is sent instead
//              (marketing only), except for an exploration share of new
//              variants (decide/quality_gate.h)
//
// Decisions are stored as records ("decisions", id). Later
// notification_opened / notification_clicked events (and the template's
// conversion_event) carrying context.decision_id are attributed to it (once
// each; attribution.cc), and update the
// bandit, the user's channel counts and the template statistics; the
// attribution is stored in the same write as the event ("attributions").
// The in-memory state of a tenant is rebuilt from those records on first use.
//
// Files: notifier.cc (this facade: inputs, locking, commit), decision_policy.h
// (the pipeline above), channel_eligibility.h (the channel checks),
// tenant_loader.cc (state rebuilt from records), attribution.cc (outcomes),
// notifier_changes.cc (the change feed), template_stats.cc (statistics).
//
// Thread-safety: every method may be called from any thread.
#ifndef TAILOR_NOTIFY_NOTIFIER_H_
#define TAILOR_NOTIFY_NOTIFIER_H_

#include <boost/json/object.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "domain/event.h"
#include "domain/tenant.h"
#include "notify/decide_request.h"
#include "notify/decision.h"
#include "notify/notify_settings.h"
#include "storage/store.h"

namespace tailor::serving {
class Engine;
}

namespace tailor::notify {

inline constexpr char kDecisionsCollection[] = "decisions";
inline constexpr char kAttributionsCollection[] = "attributions";
inline constexpr char kTemplatesCollection[] = "templates";
inline constexpr char kSettingsCollection[] = "settings";
inline constexpr char kSettingsRecordId[] = "notifications";
// One record per user, rewritten (compare-and-set on its version) by every
// decision that sends to that user: what makes frequency caps hold across
// nodes (Decision::ledger_expected).
inline constexpr char kCapLedgerCollection[] = "notify_cap_ledger";

// Adds the notification layer's announcements ("decision.created",
// "quality.threshold_failed") to the batch that stores the decision (the
// webhook outbox), so an announcement exists exactly when its decision does.
using AnnouncementWriter =
    std::function<void(domain::TenantId tenant, std::string_view type,
                       const boost::json::object& data, storage::WriteBatch& batch)>;

struct NotifierOptions {
  uint64_t seed = 1;  // Thompson draws and decision ids
  // Recompute the tenant's channel priors and hour prior at most this often.
  absl::Duration prior_refresh = absl::Seconds(30);
  AnnouncementWriter announce;  // may be empty
};

class Notifier {
 public:
  // `engine` may be null: decisions then use no profile signals and
  // templates cannot embed recommendations.
  Notifier(storage::Store& store, serving::Engine* engine, Clock& clock,
           NotifierOptions options = {});
  ~Notifier();

  // Makes a decision. Errors: NotFound naming user_id / template_id;
  // InvalidArgument for a window entirely in the past; store errors.
  // A decision that may send nothing is not an error: `sent` is false and the
  // answer says why under "suppressed".
  absl::StatusOr<Decision> Decide(domain::TenantId tenant, const DecideRequest& request);
  // Adds the write that stores `decision` to `batch` (nothing for a dry run),
  // so callers can commit many decisions, or a decision with other records,
  // in one transaction; with it, the cap ledger update and the decision's
  // announcements (NotifierOptions::announce).
  void AddDecisionWrite(domain::TenantId tenant, const Decision& decision,
                        storage::WriteBatch& batch) const;
  // Applies a stored decision: the bandit, caps and channel counts see the send.
  void OnDecisionCommitted(domain::TenantId tenant, const Decision& decision);
  // Forgets a decision whose write failed (its reservation against the caps).
  void OnDecisionFailed(domain::TenantId tenant, const Decision& decision);
  // After a write failed with Aborted because another node sent to the user
  // first: waits (up to `timeout`) until this node has applied a cap ledger
  // version past the one `decision` expected. False on timeout.
  bool AwaitLedgerPast(domain::TenantId tenant, const Decision& decision, absl::Duration timeout);
  // Decide + store + apply, for callers that wait (campaigns, tools). A
  // conflict with another node's send is decided again (a few times).
  absl::StatusOr<Decision> DecideAndCommit(domain::TenantId tenant, const DecideRequest& request);
  // DecideAndCommit on the notifier's retry thread, then `done` with the
  // decision and the change-log position of its write (0 when nothing was
  // written). For callers that must not block (the HTTP handler, after a
  // conflict). `done` runs on that thread.
  void DecideAndCommitLater(domain::TenantId tenant, DecideRequest request,
                            std::function<void(absl::StatusOr<Decision>, int64_t position)> done);

  // Before events are written: fills each attributable notification event's
  // context (channel, tone, length, template and variant) from its decision
  // and adds the attribution records to `batch`.
  void PrepareEvents(domain::TenantId tenant, std::vector<domain::Event>& events,
                     storage::WriteBatch& batch);
  // After they are durable (positions in `duplicates` were not stored).
  void OnEventsCommitted(domain::TenantId tenant, const std::vector<domain::Event>& events,
                         const std::vector<int64_t>& duplicates);

  // Follows one committed change of the store's change log (any node's):
  // stored decisions count against caps and feed the bandit, attributions
  // count, settings and templates are refreshed. Idempotent; the server's
  // ChangeFeed calls it on its own thread.
  void ApplyChange(const storage::Change& change);

  absl::StatusOr<NotifySettings> Settings(domain::TenantId tenant);
  void OnSettingsCommitted(domain::TenantId tenant, const NotifySettings& settings);
  // Drops a cached compiled template after it changed or was deleted.
  void ForgetTemplate(domain::TenantId tenant, std::string_view template_id);
  // Sends, opens and clicks per variant and the bandit's posteriors per
  // segment. NotFound when the template does not exist.
  absl::StatusOr<boost::json::object> TemplateStats(domain::TenantId tenant,
                                                    std::string_view template_id);
  // The stored decision with its attribution ("opened", "clicked").
  absl::StatusOr<boost::json::object> GetDecision(domain::TenantId tenant, std::string_view id);

 private:
  struct TenantNotify;
  absl::StatusOr<TenantNotify*> Tenant(domain::TenantId tenant);
  // Rebuilds a new tenant's state from its stored records (tenant_loader.cc).
  absl::Status Load(domain::TenantId tenant, TenantNotify& state)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(tenants_mu_);
  absl::StatusOr<std::shared_ptr<const personalize::NotificationTemplate>> Template(
      domain::TenantId tenant, TenantNotify& state, std::string_view id);

  // DecideAndCommit, also answering the write's change-log position.
  absl::StatusOr<Decision> DecideAndCommitAt(domain::TenantId tenant, const DecideRequest& request,
                                             int64_t* position);
  void RetryLoop();

  storage::Store& store_;
  serving::Engine* engine_;
  Clock& clock_;
  NotifierOptions options_;
  absl::Mutex tenants_mu_;
  std::map<domain::TenantId, std::unique_ptr<TenantNotify>> tenants_ ABSL_GUARDED_BY(tenants_mu_);

  // DecideAndCommitLater's queue and thread (started on first use).
  struct Retry {
    domain::TenantId tenant;
    DecideRequest request;
    std::function<void(absl::StatusOr<Decision>, int64_t)> done;
  };
  absl::Mutex retry_mu_;
  absl::CondVar retry_cv_;
  std::deque<Retry> retries_ ABSL_GUARDED_BY(retry_mu_);
  bool retry_stopping_ ABSL_GUARDED_BY(retry_mu_) = false;
  std::thread retry_thread_;  // started under retry_mu_, joined after stopping
};

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_NOTIFIER_H_
