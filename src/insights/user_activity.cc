#include "insights/user_activity.h"

#include <algorithm>
#include <cmath>

namespace tailor::insights {
namespace {

constexpr double kSecondsPerDay = 86400.0;
// Engagement decays by 1/tau per day.
const double kTau = kEngagementHalfLifeDays / std::log(2.0);

// Days since the epoch; infinite times clamp to +-1e8 days (far outside any
// event, and no overflow when a window is subtracted).
int32_t DayOf(absl::Time t) {
  const double days = std::floor(absl::ToDoubleSeconds(t - absl::UnixEpoch()) / kSecondsPerDay);
  return static_cast<int32_t>(std::clamp(days, -1e8, 1e8));
}

double DaysSinceEpoch(absl::Time t) {
  return absl::ToDoubleSeconds(t - absl::UnixEpoch()) / kSecondsPerDay;
}

// Hour of the week with Monday 00:00 UTC = 0 (1970-01-01 was a Thursday).
uint8_t HourOfWeek(absl::Time t) {
  const int64_t seconds = absl::ToUnixSeconds(t);  // rounds toward the past
  const int64_t hours = seconds >= 0 ? seconds / 3600 : -((-seconds + 3599) / 3600);
  return static_cast<uint8_t>(((hours + 3 * 24) % 168 + 168) % 168);
}

template <typename K, typename V>
void AddSorted(std::vector<std::pair<K, V>>& v, K key, V delta) {
  auto it = std::lower_bound(v.begin(), v.end(), key,
                             [](const std::pair<K, V>& e, K k) { return e.first < k; });
  if (it != v.end() && it->first == key) {
    it->second += delta;
  } else {
    v.insert(it, {key, delta});
  }
}

double LogAddExp(double a, double b) {
  if (a == -std::numeric_limits<double>::infinity()) return b;
  if (b == -std::numeric_limits<double>::infinity()) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

}  // namespace

int ChannelIndex(std::string_view name) {
  static constexpr std::string_view kNames[kNumChannels] = {"email", "sms", "push", "in_app"};
  for (int i = 0; i < kNumChannels; ++i) {
    if (kNames[i] == name) return i;
  }
  return -1;
}

ActivityEvent ActivityFromEvent(const domain::Event& event, float weight) {
  ActivityEvent a;
  a.time = event.timestamp;
  a.weight = weight;
  const std::string_view type = event.type;
  if (type == "notification_sent") {
    a.step = NotificationStep::kSent;
  } else if (type == "notification_delivered") {
    a.step = NotificationStep::kDelivered;
  } else if (type == "notification_opened") {
    a.step = NotificationStep::kOpened;
  } else if (type == "notification_clicked") {
    a.step = NotificationStep::kClicked;
  }
  a.user_action = a.step != NotificationStep::kSent && a.step != NotificationStep::kDelivered;
  if (type == "purchase") {
    a.purchase = true;
    if (event.value && std::isfinite(*event.value) && *event.value > 0) a.amount = *event.value;
  }
  if (const boost::json::value* c = event.context.if_contains("channel"); c && c->is_string()) {
    a.channel = ChannelIndex(std::string_view(c->get_string()));
  }
  return a;
}

void UserActivity::Apply(const ActivityEvent& e) {
  if (e.type_id >= 0) AddSorted(types_, e.type_id, int32_t{1});
  if (e.user_action) {
    ++events_;
    first_seen_ = std::min(first_seen_, e.time);
    last_seen_ = std::max(last_seen_, e.time);
    AddSorted(days_, DayOf(e.time), int32_t{1});
    AddSorted(hours_, HourOfWeek(e.time), uint32_t{1});
    // A non-finite weight (never from EventWeights) must not poison the sum.
    const double w = std::isfinite(e.weight) ? std::max(static_cast<double>(e.weight), 0.5) : 0.5;
    log_engagement_ = LogAddExp(log_engagement_, std::log(w) + DaysSinceEpoch(e.time) / kTau);
  }
  if (e.weight != 0 && std::isfinite(e.weight)) {
    for (int32_t c : e.categories) AddSorted(categories_, c, e.weight);
    for (int32_t t : e.tags) AddSorted(tags_, t, e.weight);
  }
  if (e.purchase) {
    AddSorted(purchases_, DayOf(e.time), std::isfinite(e.amount) ? e.amount : 0.0);
    first_purchase_ = std::min(first_purchase_, e.time);
    last_purchase_ = std::max(last_purchase_, e.time);
  }
  if (e.channel >= 0 && e.channel < kNumChannels) {
    ChannelFunnel& f = channels_[e.channel];
    switch (e.step) {
      case NotificationStep::kSent: ++f.sent; break;
      case NotificationStep::kDelivered: ++f.delivered; break;
      case NotificationStep::kOpened: ++f.opened; break;
      case NotificationStep::kClicked: ++f.clicked; break;
      case NotificationStep::kNone: break;
    }
  }
  if (e.step == NotificationStep::kOpened || e.step == NotificationStep::kClicked) {
    if (e.tone_id >= 0) AddSorted(tones_, e.tone_id, int32_t{1});
    if (e.length_id >= 0) AddSorted(lengths_, e.length_id, int32_t{1});
  }
  if (e.sentiment && std::isfinite(*e.sentiment)) {
    ++sentiment_count_;
    sentiment_sum_ += *e.sentiment;
    if (e.time >= sentiment_last_time_) {
      sentiment_last_time_ = e.time;
      sentiment_last_ = *e.sentiment;
    }
  }
}

double UserActivity::RecencyDays(absl::Time now) const {
  if (events_ == 0) return 0.0;
  return std::max(0.0, absl::ToDoubleSeconds(now - last_seen_) / kSecondsPerDay);
}

double UserActivity::TenureDays(absl::Time now) const {
  if (events_ == 0) return 0.0;
  return std::max(0.0, absl::ToDoubleSeconds(now - first_seen_) / kSecondsPerDay);
}

int64_t UserActivity::EventsWithin(absl::Time now, int days) const {
  const int32_t last = DayOf(now), first = last - days;
  int64_t n = 0;
  for (auto it = days_.rbegin(); it != days_.rend() && it->first >= first; ++it) {
    if (it->first <= last) n += it->second;
  }
  return n;
}

int32_t UserActivity::ActiveDaysWithin(absl::Time now, int days) const {
  const int32_t last = DayOf(now), first = last - days;
  int32_t n = 0;
  for (auto it = days_.rbegin(); it != days_.rend() && it->first >= first; ++it) {
    if (it->first <= last) ++n;
  }
  return n;
}

double UserActivity::Trend(absl::Time now) const {
  const double recent = static_cast<double>(EventsWithin(now, 13));
  const double before = static_cast<double>(EventsWithin(now, 27)) - recent;
  return (recent - before) / (recent + before + 1.0);
}

double UserActivity::EngagementAt(absl::Time now) const {
  if (log_engagement_ == -std::numeric_limits<double>::infinity()) return 0.0;
  return std::exp(log_engagement_ - DaysSinceEpoch(now) / kTau);
}

double UserActivity::purchase_total() const {
  double total = 0.0;
  for (const auto& [day, amount] : purchases_) total += amount;
  return total;
}

std::optional<UserActivity::PurchaseSummary> UserActivity::Purchases() const {
  if (purchases_.empty()) return std::nullopt;
  PurchaseSummary s{.first = first_purchase_, .last = last_purchase_};
  s.repeat_days = static_cast<int32_t>(purchases_.size()) - 1;
  if (s.repeat_days > 0) {
    double repeat = 0.0;
    for (size_t i = 1; i < purchases_.size(); ++i) repeat += purchases_[i].second;
    s.repeat_mean_amount = repeat / s.repeat_days;
  }
  return s;
}

double UserActivity::Responsiveness() const {
  double sent = 0.0, engaged = 0.0;
  for (const ChannelFunnel& f : channels_) {
    sent += f.sent;
    engaged += f.opened + f.clicked;
  }
  // Opens and clicks may outnumber sends when sends were not reported.
  sent = std::max(sent, engaged);
  return (engaged + 1.0) / (sent + 2.0);
}

ActivityFeatureVector ActivityFeatures(const UserActivity& a, absl::Time now) {
  return {std::log1p(a.RecencyDays(now)),
          std::log1p(a.TenureDays(now)),
          std::log1p(static_cast<double>(a.EventsWithin(now, 29))),
          std::log1p(static_cast<double>(a.ActiveDaysWithin(now, 29))),
          std::log1p(static_cast<double>(a.active_days())),
          a.Trend(now),
          std::log1p(std::max(0.0, a.purchase_total())),
          std::log1p(static_cast<double>(a.purchase_days())),
          a.Responsiveness(),
          a.sentiment_mean(),
          std::log(a.EngagementAt(now) + 1e-3)};
}

}  // namespace tailor::insights
