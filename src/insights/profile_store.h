// ProfileStore: one tenant's living user profiles. Every committed event is
// folded into its user's UserActivity (see user_activity.h) as it arrives, so
// a profile read formats counters instead of reading history; predictive
// scores come from the tenant's ActivityModels, refitted in the background
// (jobs/insights_job.h) and swapped in whole.
//
//   ProfileStore profiles;
//   profiles.ApplyEvent(event, weight, item_categories, item_tags, sentiment);
//   profiles.UpsertUser(user);                  // time zone, contacts, consent
//   absl::StatusOr<boost::json::object> p = profiles.Profile("u1");
//
// Every field of the profile is defined in docs/INSIGHTS.md. Times are read
// "as of" the tenant's newest event, so an imported history is scored as it
// was when it ended, but never later than the injected clock's now: an event
// stamped in the future (a client's clock ahead) does not move the tenant's
// "now" ahead of the wall clock.
// Thread-safety: all methods may be called concurrently (readers share a
// lock; an event takes it exclusively for a few counter updates).
#ifndef TAILOR_INSIGHTS_PROFILE_STORE_H_
#define TAILOR_INSIGHTS_PROFILE_STORE_H_

#include <array>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/strings.h"
#include "domain/event.h"
#include "domain/user.h"
#include "insights/activity_models.h"
#include "insights/user_activity.h"

namespace tailor::insights {

// What a profile knows about the user record itself.
struct UserContact {
  bool has_record = false;  // the tenant PUT this user
  std::string timezone;
  std::string locale;
  // domain::HasContact and domain::Consents(marketing) per channel; the
  // profile's `reachable` adds the user's engagement (domain::Reachable).
  std::array<bool, kNumChannels> has_contact{};
  std::array<bool, kNumChannels> marketing_consent{};
};

// What the notification layer reads about one user.
struct NotifySignals {
  int64_t events = 0;  // user actions
  std::array<ChannelFunnel, kNumChannels> channels{};
  // Activity by local hour of week (Monday 00:00 = 0), shifted from UTC by
  // the user's current offset; all zeros without activity.
  std::array<double, 168> local_hours{};
  // Opens/clicks by the tone and length tags of the notifications engaged with.
  std::vector<std::pair<std::string, int32_t>> tones;
  std::vector<std::pair<std::string, int32_t>> lengths;
};

struct SegmentQuery {
  std::optional<double> churn_risk_min;  // 0..1
  std::optional<double> engagement_max;  // engagement score, 0..100
  int limit = 50;                        // 1..1000
  int64_t cursor = 0;                    // position to resume from (from next_cursor)
};

class ProfileStore {
 public:
  static constexpr int kTopPreferences = 10;

  // `clock` must outlive the store.
  explicit ProfileStore(const Clock& clock = Clock::Real()) : clock_(clock) {}

  // `categories` and `tags` are the event item's (empty when none).
  void ApplyEvent(const domain::Event& event, float weight, std::span<const std::string> categories,
                  std::span<const std::string> tags, std::optional<double> sentiment);
  void UpsertUser(const domain::User& user);
  void RemoveUser(std::string_view user_id);

  void SetModels(std::shared_ptr<const ActivityModels> models);
  std::shared_ptr<const ActivityModels> models() const;

  // NotFound when the user has neither events nor a record.
  absl::StatusOr<boost::json::object> Profile(std::string_view user_id) const;
  // Tenant overview without top items (the caller knows the catalogue).
  boost::json::object Overview() const;
  boost::json::object Users(const SegmentQuery& query) const;

  // Empty when the user has neither events nor a record.
  std::optional<NotifySignals> Signals(std::string_view user_id, absl::Time now) const;
  // Every user's activity by local hour of week (each shifted by its own
  // zone's offset at `now`): the tenant prior of send-time optimisation.
  std::array<double, 168> LocalHourTotals(absl::Time now) const;

  // For the model job.
  absl::Time newest_event() const;
  // The tenant's "now": min(newest event, clock now); InfinitePast without
  // events. Profiles, overview, segments and the model fit use it.
  absl::Time as_of() const;
  int64_t num_users() const;
  int64_t events_applied() const;
  std::vector<behavior::CustomerRfm> PurchaseSummaries(absl::Time now) const;

  // Engagement score of a log-engagement value: the mid-rank percentile
  // (0..100) among the tenant's users. The ranking is a snapshot refreshed on
  // read after new events (at once below 10,000 users; above, after 1 % more
  // events or 30 s).
  double EngagementPercentile(double log_engagement) const;

 private:
  struct Scores;
  int32_t InternLocked(std::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int32_t UserLocked(std::string_view id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Scores ScoreLocked(int32_t user, absl::Time now, const ActivityModels* models,
                     const std::vector<double>& ranked) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::shared_ptr<const std::vector<double>> Ranked() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  boost::json::object ProfileLocked(int32_t user, absl::Time now, const ActivityModels* models,
                                    const std::vector<double>& ranked) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  absl::Time NowLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return std::min(newest_, clock_.Now());
  }

  const Clock& clock_;
  mutable absl::Mutex mu_ ABSL_ACQUIRED_BEFORE(rank_mu_);
  StringMap<int32_t> user_index_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> user_ids_ ABSL_GUARDED_BY(mu_);
  std::vector<UserActivity> activity_ ABSL_GUARDED_BY(mu_);
  std::vector<UserContact> contacts_ ABSL_GUARDED_BY(mu_);
  std::vector<char> present_ ABSL_GUARDED_BY(mu_);  // 0 after RemoveUser
  std::vector<absl::Time> updated_ ABSL_GUARDED_BY(mu_);
  // Interned event types, categories, tags, tones.
  StringMap<int32_t> string_index_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> strings_ ABSL_GUARDED_BY(mu_);
  std::vector<int64_t> type_totals_ ABSL_GUARDED_BY(mu_);       // by interned id
  std::vector<double> category_totals_ ABSL_GUARDED_BY(mu_);    // by interned id
  std::map<int32_t, int64_t> day_totals_ ABSL_GUARDED_BY(mu_);  // events per UTC day
  absl::Time newest_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int64_t events_applied_ ABSL_GUARDED_BY(mu_) = 0;
  // Events applied + users removed: what the snapshot tracks.
  int64_t changes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t live_users_ ABSL_GUARDED_BY(mu_) = 0;

  mutable absl::Mutex rank_mu_;
  mutable std::shared_ptr<const std::vector<double>> ranked_ ABSL_GUARDED_BY(rank_mu_);
  mutable int64_t ranked_changes_ ABSL_GUARDED_BY(rank_mu_) = -1;
  mutable absl::Time ranked_at_ ABSL_GUARDED_BY(rank_mu_);

  mutable absl::Mutex models_mu_;
  std::shared_ptr<const ActivityModels> models_ ABSL_GUARDED_BY(models_mu_);
};

}  // namespace tailor::insights

#endif  // TAILOR_INSIGHTS_PROFILE_STORE_H_
