#include "insights/profile_store.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "domain/contact_policy.h"
#include "domain/validation.h"
#include "models/behavior/clv.h"

namespace tailor::insights {
namespace {

constexpr std::string_view kChannelNames[kNumChannels] = {"email", "sms", "push", "in_app"};
constexpr const char* kDayNames[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
// Channel rates are shrunk toward the tenant's rate with this many pseudo-sends.
constexpr double kChannelPrior = 5.0;
constexpr double kLtvHorizonWeeks = 52.0;
constexpr int kSmallTenantUsers = 10000;

// The tenth of [0, 1] a finite probability falls in (1 is in the last).
int Bin10(double p) { return static_cast<int>(std::clamp(p * 10.0, 0.0, 9.0)); }

// UTC days since the epoch of a finite time.
int32_t DayIndex(absl::Time t) {
  return static_cast<int32_t>(std::floor(absl::ToDoubleSeconds(t - absl::UnixEpoch()) / 86400.0));
}

double Confidence(double n, double scale) { return 1.0 - std::exp(-n / scale); }

const char* Level(double confidence) {
  return confidence < 0.4 ? "low" : confidence < 0.8 ? "medium" : "high";
}

// A model's usefulness from its out-of-time AUC: 0 at chance, 1 at 1.0;
// 0.5 when it could not be validated.
double ModelQuality(const OutcomeModel& m) {
  if (!m.validation || !std::isfinite(m.validation->auc)) return 0.5;
  return std::clamp(2.0 * (m.validation->auc - 0.5), 0.0, 1.0);
}

// x to `digits` (0..4) decimals, so answers do not carry float noise.
boost::json::value Rounded(double x, int digits = 4) {
  static constexpr double kScale[] = {1.0, 10.0, 100.0, 1000.0, 10000.0};
  const double f = kScale[std::clamp(digits, 0, 4)];
  const double r = std::round(x * f) / f;
  if (!std::isfinite(r)) return nullptr;
  return r;
}

// UTC offset in whole hours of `tz` at `now`; 0 for an unknown or empty zone.
int OffsetHours(const std::string& tz, absl::Time now) {
  absl::TimeZone zone;
  if (tz.empty() || !absl::LoadTimeZone(tz, &zone)) return 0;
  return static_cast<int>(std::lround(zone.At(now).offset / 3600.0));
}

}  // namespace

struct ProfileStore::Scores {
  double engagement_score = 0.0;  // percentile
  std::optional<double> engage_7d;
  std::optional<double> churn;
};

int32_t ProfileStore::InternLocked(std::string_view name) {
  auto it = string_index_.find(name);
  if (it != string_index_.end()) return it->second;
  const int32_t id = static_cast<int32_t>(strings_.size());
  strings_.emplace_back(name);
  string_index_.emplace(std::string(name), id);
  type_totals_.push_back(0);
  category_totals_.push_back(0.0);
  return id;
}

int32_t ProfileStore::UserLocked(std::string_view id) {
  auto it = user_index_.find(id);
  if (it != user_index_.end()) {
    if (!present_[it->second]) {
      present_[it->second] = 1;
      ++live_users_;
    }
    return it->second;
  }
  const int32_t index = static_cast<int32_t>(user_ids_.size());
  user_ids_.emplace_back(id);
  user_index_.emplace(std::string(id), index);
  activity_.emplace_back();
  contacts_.emplace_back();
  present_.push_back(1);
  updated_.push_back(absl::InfinitePast());
  ++live_users_;
  return index;
}

void ProfileStore::ApplyEvent(const domain::Event& event, float weight,
                              std::span<const std::string> categories,
                              std::span<const std::string> tags, std::optional<double> sentiment) {
  ActivityEvent a = ActivityFromEvent(event, weight);
  a.sentiment = sentiment;
  absl::WriterMutexLock lock(&mu_);
  const int32_t user = UserLocked(event.user_id);
  a.type_id = InternLocked(event.type);
  std::vector<int32_t> category_ids, tag_ids;
  for (const std::string& c : categories) category_ids.push_back(InternLocked(c));
  for (const std::string& t : tags) tag_ids.push_back(InternLocked(t));
  a.categories = category_ids;
  a.tags = tag_ids;
  if (a.step == NotificationStep::kOpened || a.step == NotificationStep::kClicked) {
    // The variant's tags, as the notification layer puts them in the context.
    auto tag = [&](const char* key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> int32_t {
      const boost::json::value* v = event.context.if_contains(key);
      if (v == nullptr || !v->is_string() || v->get_string().empty()) return -1;
      return InternLocked(std::string_view(v->get_string()));
    };
    a.tone_id = tag("tone");
    a.length_id = tag("length");
  }
  activity_[user].Apply(a);
  updated_[user] = std::max(updated_[user], event.timestamp);
  ++type_totals_[a.type_id];
  if (a.user_action && weight > 0) {
    for (int32_t c : category_ids) category_totals_[c] += weight;
  }
  ++day_totals_[DayIndex(event.timestamp)];
  newest_ = std::max(newest_, event.timestamp);
  ++events_applied_;
  ++changes_;
}

void ProfileStore::UpsertUser(const domain::User& user) {
  UserContact c;
  c.has_record = true;
  c.timezone = user.timezone;
  c.locale = user.locale;
  for (int ch = 0; ch < kNumChannels; ++ch) {
    c.has_contact[ch] = domain::HasContact(user, kChannelNames[ch]);
    c.marketing_consent[ch] =
        domain::Consents(user, kChannelNames[ch], domain::Purpose::kMarketing);
  }
  absl::WriterMutexLock lock(&mu_);
  const int32_t index = UserLocked(user.id);
  contacts_[index] = std::move(c);
}

void ProfileStore::RemoveUser(std::string_view user_id) {
  absl::WriterMutexLock lock(&mu_);
  auto it = user_index_.find(user_id);
  if (it == user_index_.end() || !present_[it->second]) return;
  const int32_t index = it->second;
  present_[index] = 0;
  activity_[index] = UserActivity();
  contacts_[index] = UserContact();
  --live_users_;
  ++changes_;
}

void ProfileStore::SetModels(std::shared_ptr<const ActivityModels> models) {
  absl::MutexLock lock(&models_mu_);
  models_ = std::move(models);
}

std::shared_ptr<const ActivityModels> ProfileStore::models() const {
  absl::MutexLock lock(&models_mu_);
  return models_;
}

absl::Time ProfileStore::newest_event() const {
  absl::ReaderMutexLock lock(&mu_);
  return newest_;
}

absl::Time ProfileStore::as_of() const {
  absl::ReaderMutexLock lock(&mu_);
  return NowLocked();
}

int64_t ProfileStore::num_users() const {
  absl::ReaderMutexLock lock(&mu_);
  return live_users_;
}

int64_t ProfileStore::events_applied() const {
  absl::ReaderMutexLock lock(&mu_);
  return events_applied_;
}

std::vector<behavior::CustomerRfm> ProfileStore::PurchaseSummaries(absl::Time now) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<behavior::CustomerRfm> out;
  for (size_t i = 0; i < activity_.size(); ++i) {
    if (!present_[i]) continue;
    if (std::optional<behavior::CustomerRfm> c = RfmAt(activity_[i], now)) {
      c->id = user_ids_[i];
      out.push_back(std::move(*c));
    }
  }
  return out;
}

std::shared_ptr<const std::vector<double>> ProfileStore::Ranked() const {
  absl::MutexLock lock(&rank_mu_);
  const int64_t changed = changes_ - ranked_changes_;
  const bool stale =
      ranked_ == nullptr ||
      (changed > 0 && (live_users_ < kSmallTenantUsers || changed * 100 >= changes_ ||
                       clock_.Now() - ranked_at_ > absl::Seconds(30)));
  if (stale) {
    auto ranked = std::make_shared<std::vector<double>>();
    ranked->reserve(activity_.size());
    for (size_t i = 0; i < activity_.size(); ++i) {
      if (present_[i]) ranked->push_back(activity_[i].log_engagement());
    }
    std::sort(ranked->begin(), ranked->end());
    ranked_ = std::move(ranked);
    ranked_changes_ = changes_;
    ranked_at_ = clock_.Now();
  }
  return ranked_;
}

namespace {
double Percentile(const std::vector<double>& ranked, double value) {
  if (ranked.empty()) return 0.0;
  const auto lo = std::lower_bound(ranked.begin(), ranked.end(), value);
  const auto hi = std::upper_bound(lo, ranked.end(), value);
  const double below = static_cast<double>(lo - ranked.begin());
  const double equal = static_cast<double>(hi - lo);
  return 100.0 * (below + 0.5 * equal) / static_cast<double>(ranked.size());
}
}  // namespace

double ProfileStore::EngagementPercentile(double log_engagement) const {
  absl::ReaderMutexLock lock(&mu_);
  return Percentile(*Ranked(), log_engagement);
}

ProfileStore::Scores ProfileStore::ScoreLocked(int32_t user, absl::Time now,
                                               const ActivityModels* models,
                                               const std::vector<double>& ranked) const {
  Scores s;
  const UserActivity& a = activity_[user];
  s.engagement_score = a.empty() ? 0.0 : Percentile(ranked, a.log_engagement());
  if (models != nullptr) {
    ActivityModels::Scores scores = models->Score(a, now);
    s.engage_7d = scores.engage;
    s.churn = scores.churn;
  }
  return s;
}

absl::StatusOr<boost::json::object> ProfileStore::Profile(std::string_view user_id) const {
  std::shared_ptr<const ActivityModels> m = models();
  absl::ReaderMutexLock lock(&mu_);
  auto it = user_index_.find(user_id);
  if (it == user_index_.end() || !present_[it->second]) {
    return absl::NotFoundError("user has no events and no record");
  }
  std::shared_ptr<const std::vector<double>> ranked = Ranked();
  return ProfileLocked(it->second, NowLocked(), m.get(), *ranked);
}

boost::json::object ProfileStore::ProfileLocked(int32_t user, absl::Time now,
                                                const ActivityModels* models,
                                                const std::vector<double>& ranked) const {
  const UserActivity& a = activity_[user];
  const UserContact& contact = contacts_[user];
  const double data_confidence = Confidence(static_cast<double>(a.events()), 10.0);
  auto time_or_null = [](absl::Time t) -> boost::json::value {
    if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return nullptr;
    return boost::json::value(domain::FormatRfc3339(t));
  };

  // content_preferences
  auto top =
      [&](const std::vector<std::pair<int32_t, float>>& weights) ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        std::vector<std::pair<int32_t, float>> positive;
        double total = 0.0;
        for (const auto& [id, w] : weights) {
          if (w > 0) {
            positive.push_back({id, w});
            total += w;
          }
        }
        std::sort(positive.begin(), positive.end(), [](const auto& x, const auto& y) {
          return x.second > y.second || (x.second == y.second && x.first < y.first);
        });
        if (positive.size() > kTopPreferences) positive.resize(kTopPreferences);
        boost::json::array out;
        for (const auto& [id, w] : positive) {
          out.push_back(
              {{"name", strings_[id]}, {"affinity", Rounded(w / total)}, {"weight", Rounded(w)}});
        }
        return out;
      };
  auto preferred = [&](const std::vector<std::pair<int32_t, int32_t>>& counts)
                       ABSL_SHARED_LOCKS_REQUIRED(mu_) -> boost::json::value {
    if (counts.empty()) return nullptr;
    int64_t total = 0;
    std::pair<int32_t, int32_t> best = counts.front();
    boost::json::object by_value;
    for (const auto& c : counts) {
      total += c.second;
      if (c.second > best.second) best = c;
      by_value[strings_[c.first]] = c.second;
    }
    return boost::json::object{{"preferred", strings_[best.first]},
                               {"share", Rounded(static_cast<double>(best.second) / total)},
                               {"confidence", Rounded(Confidence(static_cast<double>(total), 5.0))},
                               {"engagements", std::move(by_value)}};
  };
  boost::json::object content{{"categories", top(a.categories())},
                              {"tags", top(a.tags())},
                              {"tone", preferred(a.tones())},
                              {"length", preferred(a.lengths())}};

  // channel_preferences
  // The prior: the tenant's open rate over all channels (opened / sent
  // events), 0.2 before any send was reported.
  double tenant_rate = 0.2;
  {
    auto count = [&](std::string_view type) ABSL_SHARED_LOCKS_REQUIRED(mu_) -> double {
      auto f = string_index_.find(type);
      return f == string_index_.end() ? 0.0 : static_cast<double>(type_totals_[f->second]);
    };
    const double sent = count("notification_sent");
    if (sent > 0) tenant_rate = std::clamp(count("notification_opened") / sent, 0.0, 1.0);
  }
  boost::json::object channels;
  std::string best_channel;
  double best_rate = -1.0;
  for (int ch = 0; ch < kNumChannels; ++ch) {
    const ChannelFunnel& f = a.channels()[ch];
    const double sent = std::max<double>(f.sent, std::max(f.opened, f.clicked));
    const double rate = (f.opened + kChannelPrior * tenant_rate) / (sent + kChannelPrior);
    boost::json::object c{
        {"sent", f.sent},
        {"delivered", f.delivered},
        {"opened", f.opened},
        {"clicked", f.clicked},
        {"open_rate", sent > 0 ? Rounded(f.opened / sent) : boost::json::value(nullptr)},
        {"click_rate", sent > 0 ? Rounded(f.clicked / sent) : boost::json::value(nullptr)},
        {"engagement_rate", Rounded(rate)},
        {"confidence", Rounded(Confidence(sent, 10.0))}};
    const bool reachable = domain::Reachable(contact.has_contact[ch], kChannelNames[ch],
                                             static_cast<int64_t>(f.opened) + f.clicked);
    if (contact.has_record) {
      c["reachable"] = reachable;
      c["marketing_consent"] = contact.marketing_consent[ch];
    }
    if (sent > 0 && rate > best_rate && (!contact.has_record || reachable)) {
      best_rate = rate;
      best_channel = kChannelNames[ch];
    }
    channels[kChannelNames[ch]] = std::move(c);
  }
  channels["preferred"] =
      best_channel.empty() ? boost::json::value(nullptr) : boost::json::value(best_channel);

  // behavioral_patterns, in the user's local time
  const int offset = OffsetHours(contact.timezone, now);
  std::array<double, 24> hours{};
  std::array<double, 7> days{};
  double total_hours = 0.0;
  for (const auto& [slot, n] : a.hour_of_week()) {
    const int local = ((slot + offset) % 168 + 168) % 168;
    hours[local % 24] += n;
    days[local / 24] += n;
    total_hours += n;
  }
  boost::json::array active_hours, active_days;
  {
    std::vector<int> order(24);
    for (int h = 0; h < 24; ++h) order[h] = h;
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return hours[x] > hours[y]; });
    for (int i = 0; i < 3 && hours[order[i]] > 0; ++i) {
      active_hours.push_back(
          {{"hour", order[i]}, {"share", Rounded(hours[order[i]] / total_hours)}});
    }
    std::vector<int> dorder(7);
    for (int d = 0; d < 7; ++d) dorder[d] = d;
    std::stable_sort(dorder.begin(), dorder.end(), [&](int x, int y) { return days[x] > days[y]; });
    for (int i = 0; i < 3 && days[dorder[i]] > 0; ++i) {
      active_days.push_back(
          {{"day", kDayNames[dorder[i]]}, {"share", Rounded(days[dorder[i]] / total_hours)}});
    }
  }
  const double trend = a.Trend(now);
  boost::json::object counts;
  for (const auto& [type, n] : a.type_counts()) counts[strings_[type]] = n;
  Scores scores = ScoreLocked(user, now, models, ranked);
  boost::json::object behavior{{"engagement_score", Rounded(scores.engagement_score, 1)},
                               {"engagement_index", Rounded(a.EngagementAt(now))},
                               {"active_hours", std::move(active_hours)},
                               {"active_days", std::move(active_days)},
                               {"timezone", contact.timezone.empty() ? "UTC" : contact.timezone},
                               {"activity_trend",
                                {{"value", Rounded(trend)},
                                 {"direction", trend > 0.2    ? "rising"
                                               : trend < -0.2 ? "declining"
                                                              : "stable"}}},
                               {"events_7d", a.EventsWithin(now, 6)},
                               {"events_30d", a.EventsWithin(now, 29)},
                               {"active_days_30d", a.ActiveDaysWithin(now, 29)},
                               {"total_events", a.events()},
                               {"event_counts", std::move(counts)},
                               {"first_seen_at", time_or_null(a.first_seen())},
                               {"last_active_at", time_or_null(a.last_seen())}};

  // predictive_scores
  boost::json::object predictive;
  auto outcome = [&](const std::optional<OutcomeModel>& model,
                     const std::optional<double>& p) -> boost::json::object {
    boost::json::object o{
        {"probability", p ? Rounded(*p) : boost::json::value(nullptr)},
        {"horizon_days", model ? boost::json::value(absl::ToDoubleHours(model->horizon) / 24.0)
                               : boost::json::value(nullptr)},
        {"confidence",
         p && model ? Rounded(data_confidence * ModelQuality(*model)) : boost::json::value(0.0)}};
    if (!p)
      o["reason"] =
          model ? "no activity yet" : "model not fitted yet (see GET /v1/insights/models)";
    return o;
  };
  const std::optional<OutcomeModel> no_model;
  boost::json::object engage = outcome(models ? models->engage : no_model, scores.engage_7d);
  boost::json::object churn = outcome(models ? models->churn : no_model, scores.churn);
  if (scores.churn) {
    churn["level"] = models->churn->RiskLevel(*scores.churn);
    std::vector<double> contributions = models->ChurnContributions(a, now);
    std::vector<int> order(kNumActivityFeatures);
    for (int j = 0; j < kNumActivityFeatures; ++j) order[j] = j;
    std::sort(order.begin(), order.end(), [&](int x, int y) {
      return std::abs(contributions[x]) > std::abs(contributions[y]);
    });
    boost::json::array drivers;
    for (int i = 0; i < 3; ++i) {
      drivers.push_back({{"feature", kActivityFeatureNames[order[i]]},
                         {"log_odds", Rounded(contributions[order[i]])}});
    }
    churn["drivers"] = std::move(drivers);
  }
  boost::json::object ltv{{"horizon_weeks", kLtvHorizonWeeks}};
  std::optional<behavior::CustomerRfm> rfm = RfmAt(a, now);
  if (models && models->ltv && rfm) {
    const behavior::BgNbdParams& bg = models->ltv->purchases;
    const double expected = behavior::ConditionalExpectedPurchases(
        bg, kLtvHorizonWeeks, rfm->frequency, rfm->recency, rfm->age);
    ltv["expected_purchases"] = Rounded(expected);
    ltv["probability_alive"] =
        Rounded(behavior::ProbabilityAlive(bg, rfm->frequency, rfm->recency, rfm->age));
    if (models->ltv->spend) {
      const double spend =
          behavior::ConditionalExpectedSpend(*models->ltv->spend, rfm->frequency, rfm->monetary);
      ltv["expected_spend_per_purchase"] = Rounded(spend, 2);
      ltv["value"] = Rounded(expected * spend, 2);
    } else {
      ltv["value"] = nullptr;
      ltv["reason"] = "spend model not fitted (no repeat purchases with amounts)";
    }
    ltv["confidence"] = Rounded(Confidence(rfm->frequency + 1.0, 3.0));
  } else {
    ltv["value"] = nullptr;
    ltv["confidence"] = 0.0;
    ltv["reason"] =
        !rfm ? "no purchases yet" : "model not fitted yet (see GET /v1/insights/models)";
  }
  predictive["engagement_prediction"] = std::move(engage);
  predictive["churn_risk"] = std::move(churn);
  predictive["lifetime_value"] = std::move(ltv);

  boost::json::object sentiment;
  if (a.sentiment_count() > 0) {
    const double mean = a.sentiment_mean();
    sentiment = {{"average", Rounded(mean)},
                 {"last", Rounded(a.sentiment_last())},
                 {"count", a.sentiment_count()},
                 {"label", mean >= 0.05    ? "positive"
                           : mean <= -0.05 ? "negative"
                                           : "neutral"}};
  } else {
    sentiment = {{"average", nullptr}, {"last", nullptr}, {"count", 0}, {"label", nullptr}};
  }

  bool any_reachable = false;
  for (int ch = 0; ch < kNumChannels; ++ch) {
    const bool reachable =
        domain::Reachable(contact.has_contact[ch], kChannelNames[ch],
                          static_cast<int64_t>(a.channels()[ch].opened) + a.channels()[ch].clicked);
    any_reachable = any_reachable || (reachable && contact.marketing_consent[ch]);
  }
  const double quality = 0.25 * (contact.has_record ? 1 : 0) +
                         0.25 * (contact.timezone.empty() ? 0 : 1) +
                         0.25 * (any_reachable ? 1 : 0) + 0.25 * (a.events() >= 5 ? 1 : 0);
  boost::json::object metadata{
      {"last_updated", time_or_null(updated_[user])},
      {"as_of", time_or_null(now)},
      {"confidence", Rounded(data_confidence)},
      {"confidence_level", Level(data_confidence)},
      {"data_quality_score", quality},
      {"models_fitted_at", models ? time_or_null(models->fitted_at) : boost::json::value(nullptr)}};

  return {{"user_id", user_ids_[user]},
          {"content_preferences", std::move(content)},
          {"channel_preferences", std::move(channels)},
          {"behavioral_patterns", std::move(behavior)},
          {"predictive_scores", std::move(predictive)},
          {"sentiment", std::move(sentiment)},
          {"metadata", std::move(metadata)}};
}

boost::json::object ProfileStore::Overview() const {
  std::shared_ptr<const ActivityModels> m = models();
  absl::ReaderMutexLock lock(&mu_);
  std::shared_ptr<const std::vector<double>> ranked = Ranked();
  const absl::Time now = NowLocked();
  int64_t active1 = 0, active7 = 0, active30 = 0;
  std::array<int64_t, 10> churn_bins{}, engage_bins{};
  int64_t churn_scored = 0, engage_scored = 0;
  std::array<int64_t, 3> churn_levels{};
  std::vector<double> engagement_index;
  for (size_t i = 0; i < activity_.size(); ++i) {
    if (!present_[i] || activity_[i].empty()) continue;
    const UserActivity& a = activity_[i];
    const double recency = a.RecencyDays(now);
    active1 += recency <= 1 ? 1 : 0;
    active7 += recency <= 7 ? 1 : 0;
    active30 += recency <= 30 ? 1 : 0;
    engagement_index.push_back(a.EngagementAt(now));
    Scores s = ScoreLocked(static_cast<int32_t>(i), now, m.get(), *ranked);
    if (s.churn) {
      ++churn_scored;
      ++churn_bins[Bin10(*s.churn)];
      const std::string_view level = m->churn->RiskLevel(*s.churn);
      ++churn_levels[level == "low" ? 0 : level == "medium" ? 1 : 2];
    }
    if (s.engage_7d) {
      ++engage_scored;
      ++engage_bins[Bin10(*s.engage_7d)];
    }
  }
  auto histogram = [](const std::array<int64_t, 10>& bins) {
    boost::json::array out;
    for (int b = 0; b < 10; ++b) {
      out.push_back({{"lower", b / 10.0}, {"upper", (b + 1) / 10.0}, {"users", bins[b]}});
    }
    return out;
  };
  std::sort(engagement_index.begin(), engagement_index.end());
  boost::json::object quantiles;
  for (int q : {10, 25, 50, 75, 90}) {
    quantiles[StrCat("p", q)] =
        engagement_index.empty()
            ? boost::json::value(nullptr)
            : Rounded(engagement_index[(engagement_index.size() - 1) * q / 100]);
  }
  boost::json::object by_type;
  for (size_t t = 0; t < strings_.size(); ++t) {
    if (type_totals_[t] > 0) by_type[strings_[t]] = type_totals_[t];
  }
  boost::json::array by_day;
  if (now != absl::InfinitePast()) {
    const int32_t last = DayIndex(now);
    for (auto it = day_totals_.lower_bound(last - 29); it != day_totals_.end(); ++it) {
      by_day.push_back(
          {{"date", absl::FormatTime("%Y-%m-%d", absl::UnixEpoch() + absl::Hours(24) * it->first,
                                     absl::UTCTimeZone())},
           {"events", it->second}});
    }
  }
  std::vector<std::pair<double, int32_t>> categories;
  for (size_t c = 0; c < category_totals_.size(); ++c) {
    if (category_totals_[c] > 0)
      categories.push_back({category_totals_[c], static_cast<int32_t>(c)});
  }
  std::sort(categories.begin(), categories.end(), [](const auto& x, const auto& y) {
    return x.first > y.first || (x.first == y.first && x.second < y.second);
  });
  boost::json::array top_categories;
  for (size_t i = 0; i < categories.size() && i < 10; ++i) {
    top_categories.push_back(
        {{"category", strings_[categories[i].second]}, {"weight", Rounded(categories[i].first)}});
  }
  return {
      {"as_of", now == absl::InfinitePast() ? boost::json::value(nullptr)
                                            : boost::json::value(domain::FormatRfc3339(now))},
      {"users", live_users_},
      {"active_users", {{"1d", active1}, {"7d", active7}, {"30d", active30}}},
      {"events", events_applied_},
      {"events_by_type", std::move(by_type)},
      {"events_by_day", std::move(by_day)},
      {"engagement",
       {{"index_quantiles", std::move(quantiles)},
        {"probability_7d", histogram(engage_bins)},
        {"scored_users", engage_scored}}},
      {"churn_risk",
       {{"distribution", histogram(churn_bins)},
        {"levels",
         {{"low", churn_levels[0]}, {"medium", churn_levels[1]}, {"high", churn_levels[2]}}},
        {"scored_users", churn_scored},
        // What the levels are measured against: the tenant's own churn.
        {"base_rate",
         m && m->churn ? Rounded(m->churn->outcome_base_rate) : boost::json::value(nullptr)},
        {"medium_from",
         m && m->churn ? Rounded(m->churn->medium_from) : boost::json::value(nullptr)},
        {"high_from", m && m->churn ? Rounded(m->churn->high_from) : boost::json::value(nullptr)}}},
      {"top_categories", std::move(top_categories)},
      {"models", m ? boost::json::value(m->ToJson()) : boost::json::value(nullptr)}};
}

boost::json::object ProfileStore::Users(const SegmentQuery& query) const {
  std::shared_ptr<const ActivityModels> m = models();
  absl::ReaderMutexLock lock(&mu_);
  std::shared_ptr<const std::vector<double>> ranked = Ranked();
  boost::json::array users;
  int64_t next = -1;
  const int64_t size = static_cast<int64_t>(activity_.size());
  const absl::Time now = NowLocked();
  for (int64_t i = std::max<int64_t>(query.cursor, 0); i < size; ++i) {
    if (!present_[i]) continue;
    const int32_t index = static_cast<int32_t>(i);
    Scores s = ScoreLocked(index, now, m.get(), *ranked);
    if (query.churn_risk_min && (!s.churn || *s.churn < *query.churn_risk_min)) continue;
    if (query.engagement_max && s.engagement_score > *query.engagement_max) continue;
    if (static_cast<int>(users.size()) == query.limit) {
      next = i;
      break;
    }
    users.push_back({{"user_id", user_ids_[i]},
                     {"engagement_score", Rounded(s.engagement_score, 1)},
                     {"engagement_probability_7d",
                      s.engage_7d ? Rounded(*s.engage_7d) : boost::json::value(nullptr)},
                     {"churn_risk", s.churn ? Rounded(*s.churn) : boost::json::value(nullptr)},
                     {"last_active_at",
                      activity_[i].empty()
                          ? boost::json::value(nullptr)
                          : boost::json::value(domain::FormatRfc3339(activity_[i].last_seen()))}});
  }
  return {{"users", std::move(users)},
          {"next_cursor",
           next < 0 ? boost::json::value(nullptr) : boost::json::value(std::to_string(next))}};
}

std::optional<NotifySignals> ProfileStore::Signals(std::string_view user_id, absl::Time now) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = user_index_.find(user_id);
  if (it == user_index_.end() || !present_[it->second]) return std::nullopt;
  const UserActivity& a = activity_[it->second];
  NotifySignals out;
  out.events = a.events();
  out.channels = a.channels();
  const int offset = OffsetHours(contacts_[it->second].timezone, now);
  for (const auto& [slot, n] : a.hour_of_week()) {
    out.local_hours[((slot + offset) % 168 + 168) % 168] += n;
  }
  for (const auto& [id, n] : a.tones()) out.tones.emplace_back(strings_[id], n);
  for (const auto& [id, n] : a.lengths()) out.lengths.emplace_back(strings_[id], n);
  return out;
}

std::array<double, 168> ProfileStore::LocalHourTotals(absl::Time now) const {
  std::array<double, 168> out{};
  std::map<std::string, int> offsets;  // zones are few; each is looked up once
  absl::ReaderMutexLock lock(&mu_);
  for (size_t u = 0; u < activity_.size(); ++u) {
    if (!present_[u] || activity_[u].hour_of_week().empty()) continue;
    const std::string& tz = contacts_[u].timezone;
    auto [zone, inserted] = offsets.try_emplace(tz, 0);
    if (inserted) zone->second = OffsetHours(tz, now);
    for (const auto& [slot, n] : activity_[u].hour_of_week()) {
      out[((slot + zone->second) % 168 + 168) % 168] += n;
    }
  }
  return out;
}

}  // namespace tailor::insights
