// UserActivity: one user's behaviour folded into counters that are cheap to
// update per event and enough to answer a profile without reading history:
// first/last activity, events per UTC day, hour-of-week histogram, purchases
// by day (for buy-till-you-die models), notification funnel per channel,
// tone/length engagement, category and tag affinities, sentiment, and a
// time-decayed engagement sum.
//
//   UserActivity a;
//   a.Apply({.time = t, .type_id = click_id, .weight = 2, .categories = cats});
//   double recency = a.RecencyDays(now);
//   ChurnFeatureVector f = ChurnFeatures(a, now);
//
// Events may arrive in any time order (imports are rarely sorted); every
// counter is order-insensitive. Not thread-safe: ProfileStore guards it.
#ifndef TAILOR_INSIGHTS_USER_ACTIVITY_H_
#define TAILOR_INSIGHTS_USER_ACTIVITY_H_

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "domain/event.h"

namespace tailor::insights {

// Channel positions follow domain::kChannels: email, sms, push, in_app.
inline constexpr int kNumChannels = 4;
// -1 when `name` is not a channel.
int ChannelIndex(std::string_view name);

// The engagement sum halves every 14 days.
inline constexpr double kEngagementHalfLifeDays = 14.0;

enum class NotificationStep { kNone, kSent, kDelivered, kOpened, kClicked };

// One event as profiles consume it. Strings are interned ids (see
// ProfileStore); spans need only live for the Apply call.
struct ActivityEvent {
  absl::Time time;
  int32_t type_id = -1;
  // Something the user did (everything but notification_sent/_delivered,
  // which the tenant does). Only user actions move recency, active days,
  // active hours and the engagement sum.
  bool user_action = true;
  // EventWeights weight of the event. A user action adds max(weight, 0.5) to
  // the engagement sum (a dislike or an opened notification is still activity).
  float weight = 0.0f;
  bool purchase = false;
  double amount = 0.0;  // purchase value (0 when none given)
  NotificationStep step = NotificationStep::kNone;
  int channel = -1;  // ChannelIndex of context.channel, -1 when none
  int32_t tone_id = -1;    // context.tone of an opened/clicked notification
  int32_t length_id = -1;  // context.length
  std::span<const int32_t> categories;
  std::span<const int32_t> tags;
  std::optional<double> sentiment;  // compound score of the event's text
};

struct ChannelFunnel {
  int32_t sent = 0;
  int32_t delivered = 0;
  int32_t opened = 0;
  int32_t clicked = 0;
};

// The fields of `event` that need no interning or text analysis: time, user
// action, weight, purchase amount (`value`), notification step and channel
// (`context.channel`). type_id, tone/length, categories, tags and sentiment
// are left for the caller.
ActivityEvent ActivityFromEvent(const domain::Event& event, float weight);

class UserActivity {
 public:
  void Apply(const ActivityEvent& e);

  bool empty() const { return events_ == 0; }
  // User actions applied (first_seen/last_seen/days count these only).
  int64_t events() const { return events_; }
  absl::Time first_seen() const { return first_seen_; }
  absl::Time last_seen() const { return last_seen_; }
  double RecencyDays(absl::Time now) const;
  double TenureDays(absl::Time now) const;
  int32_t active_days() const { return static_cast<int32_t>(days_.size()); }
  // Events and distinct active days in [now - days, now].
  int64_t EventsWithin(absl::Time now, int days) const;
  int32_t ActiveDaysWithin(absl::Time now, int days) const;
  // (a - b) / (a + b + 1) with a = events in the last 14 days before `now`
  // and b = events in the 14 days before those: -1 (fading) .. +1 (rising).
  double Trend(absl::Time now) const;

  // Sum over user actions of max(weight, 0.5) * 2^(-age / half-life) at `now`.
  double EngagementAt(absl::Time now) const;
  // log of the same sum anchored at the Unix epoch: comparable across users
  // at any `now` (every sum decays at the same rate), so a percentile rank
  // computed once stays right as time passes. -inf when there is none.
  double log_engagement() const { return log_engagement_; }

  // Purchases, same-day purchases merged (the RFM convention).
  int32_t purchase_days() const { return static_cast<int32_t>(purchases_.size()); }
  double purchase_total() const;
  // (first purchase time, last purchase time, mean amount of the repeat
  // purchase days); nullopt without purchases.
  struct PurchaseSummary {
    absl::Time first;
    absl::Time last;
    int32_t repeat_days = 0;
    double repeat_mean_amount = 0.0;
  };
  std::optional<PurchaseSummary> Purchases() const;

  const std::array<ChannelFunnel, kNumChannels>& channels() const { return channels_; }
  // (opened + clicked + 1) / (sent + 2) over all channels: 0.5 with no data.
  double Responsiveness() const;

  // Counts by hour of the week in UTC: 0 = Monday 00:00-01:00 UTC.
  const std::vector<std::pair<uint8_t, uint32_t>>& hour_of_week() const { return hours_; }
  const std::vector<std::pair<int32_t, int32_t>>& type_counts() const { return types_; }
  const std::vector<std::pair<int32_t, float>>& categories() const { return categories_; }
  const std::vector<std::pair<int32_t, float>>& tags() const { return tags_; }
  const std::vector<std::pair<int32_t, int32_t>>& tones() const { return tones_; }
  const std::vector<std::pair<int32_t, int32_t>>& lengths() const { return lengths_; }

  int32_t sentiment_count() const { return sentiment_count_; }
  double sentiment_mean() const { return sentiment_count_ ? sentiment_sum_ / sentiment_count_ : 0.0; }
  double sentiment_last() const { return sentiment_last_; }

 private:
  int64_t events_ = 0;
  absl::Time first_seen_ = absl::InfiniteFuture();
  absl::Time last_seen_ = absl::InfinitePast();
  std::vector<std::pair<int32_t, int32_t>> days_;         // (day since epoch, events), sorted
  std::vector<std::pair<int32_t, double>> purchases_;     // (day, amount), sorted
  absl::Time first_purchase_ = absl::InfiniteFuture();
  absl::Time last_purchase_ = absl::InfinitePast();
  std::vector<std::pair<uint8_t, uint32_t>> hours_;       // sorted by slot
  std::vector<std::pair<int32_t, int32_t>> types_;
  std::vector<std::pair<int32_t, float>> categories_;
  std::vector<std::pair<int32_t, float>> tags_;
  std::vector<std::pair<int32_t, int32_t>> tones_;
  std::vector<std::pair<int32_t, int32_t>> lengths_;
  std::array<ChannelFunnel, kNumChannels> channels_{};
  double log_engagement_ = -std::numeric_limits<double>::infinity();
  int32_t sentiment_count_ = 0;
  double sentiment_sum_ = 0.0;
  double sentiment_last_ = 0.0;
  absl::Time sentiment_last_time_ = absl::InfinitePast();
};

// The churn / engagement model's inputs at `now`, in this order.
inline constexpr int kNumActivityFeatures = 11;
inline constexpr const char* kActivityFeatureNames[kNumActivityFeatures] = {
    "log_recency_days",      "log_tenure_days",   "log_events_30d",
    "log_active_days_30d",   "log_active_days",   "trend",
    "log_purchase_value",    "log_purchase_days", "channel_responsiveness",
    "sentiment_mean",        "log_engagement"};
using ActivityFeatureVector = std::array<double, kNumActivityFeatures>;
ActivityFeatureVector ActivityFeatures(const UserActivity& a, absl::Time now);

}  // namespace tailor::insights

#endif  // TAILOR_INSIGHTS_USER_ACTIVITY_H_
