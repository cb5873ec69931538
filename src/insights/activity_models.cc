#include "insights/activity_models.h"

#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"

#include <boost/json.hpp>

#include "domain/validation.h"

namespace tailor::insights {
namespace {

constexpr double kSecondsPerWeek = 7 * 86400.0;
// Cutoff and window positions of ActivityReplay::ForModels.
constexpr int kChurnEarly = 0, kChurnLate = 1, kEngageEarly = 2, kEngageLate = 3;

boost::json::object MetricsJson(const behavior::BinaryMetrics& m) {
  boost::json::array bins;
  for (const behavior::ReliabilityBin& b : m.bins) {
    if (b.count == 0) continue;
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"count", b.count},
                    {"mean_predicted", b.mean_predicted},
                    {"observed_rate", b.observed_rate}});
  }
  auto finite = [](double x) { return std::isfinite(x) ? boost::json::value(x) : nullptr; };
  return {{"users", m.count},         {"base_rate", m.base_rate}, {"auc", finite(m.auc)},
          {"brier", m.brier},         {"log_loss", m.log_loss},   {"ece", m.ece},
          {"reliability", std::move(bins)}};
}

}  // namespace

ActivityReplay::ActivityReplay(std::vector<absl::Time> cutoffs,
                               std::vector<std::pair<absl::Time, absl::Time>> windows,
                               uint64_t sample_modulus)
    : cutoffs_(std::move(cutoffs)), windows_(std::move(windows)),
      modulus_(std::max<uint64_t>(sample_modulus, 1)) {}

ActivityReplay ActivityReplay::ForModels(absl::Time now, const ActivityModelOptions& options,
                                         int64_t expected_users) {
  const absl::Duration hc = options.churn_horizon, he = options.engage_horizon;
  uint64_t modulus = 1;
  if (options.max_users > 0 && expected_users > options.max_users) {
    modulus = static_cast<uint64_t>((expected_users + options.max_users - 1) / options.max_users);
  }
  return ActivityReplay({now - 2 * hc, now - hc, now - 2 * he, now - he},
                        {{now - 2 * hc, now - hc}, {now - hc, now}, {now - 2 * he, now - he},
                         {now - he, now}},
                        modulus);
}

void ActivityReplay::Add(std::string_view user, const ActivityEvent& event) {
  if (!Keeps(user)) return;
  auto it = users_.find(user);
  if (it == users_.end()) {
    it = users_.emplace(std::string(user), Entry{}).first;
    it->second.at.resize(cutoffs_.size());
  }
  Entry& entry = it->second;
  for (size_t c = 0; c < cutoffs_.size(); ++c) {
    if (event.time <= cutoffs_[c]) entry.at[c].Apply(event);
  }
  if (!event.user_action) return;
  for (size_t w = 0; w < windows_.size(); ++w) {
    if (event.time > windows_[w].first && event.time <= windows_[w].second) entry.active |= 1u << w;
  }
}

ActivityReplay::Dataset ActivityReplay::Rows(int c, int w, bool positive_is_active) const {
  Dataset d;
  const absl::Time cutoff = cutoffs_[c];
  for (const auto& [id, entry] : users_) {
    const UserActivity& a = entry.at[c];
    if (a.empty()) continue;
    ActivityFeatureVector f = ActivityFeatures(a, cutoff);
    d.rows.insert(d.rows.end(), f.begin(), f.end());
    const bool active = (entry.active >> w) & 1u;
    d.labels.push_back(active == positive_is_active ? 1 : 0);
    d.recency.push_back(a.RecencyDays(cutoff));
  }
  return d;
}

double OutcomeModel::Probability(const UserActivity& a, absl::Time now) const {
  ActivityFeatureVector f = ActivityFeatures(a, now);
  return model.Probability(f);
}

boost::json::object OutcomeModel::ToJson() const {
  boost::json::object features;
  for (int j = 0; j < kNumActivityFeatures; ++j) features[kActivityFeatureNames[j]] = model.weight[j];
  boost::json::object out{{"name", name},
                          {"horizon_days", absl::ToDoubleHours(horizon) / 24.0},
                          {"train_users", train_rows},
                          {"train_base_rate", train_base_rate},
                          {"weights", std::move(features)},
                          {"bias", model.bias},
                          {"validation", nullptr}};
  if (validation) {
    boost::json::object v = MetricsJson(*validation);
    v["recency_baseline_auc"] = std::isfinite(baseline_auc) ? boost::json::value(baseline_auc) : nullptr;
    v["engagement_score_auc"] =
        std::isfinite(engagement_score_auc) ? boost::json::value(engagement_score_auc) : nullptr;
    out["validation"] = std::move(v);
  }
  return out;
}

boost::json::object LtvModel::ToJson() const {
  boost::json::object out{
      {"customers", customers},
      {"time_unit", "weeks"},
      {"bg_nbd", {{"r", purchases.r}, {"alpha", purchases.alpha}, {"a", purchases.a}, {"b", purchases.b}}},
      {"gamma_gamma", nullptr}};
  if (spend) out["gamma_gamma"] = {{"p", spend->p}, {"q", spend->q}, {"gamma", spend->gamma}};
  return out;
}

boost::json::object ActivityModels::ToJson() const {
  boost::json::array notes_json(notes.begin(), notes.end());
  return {{"data_now", domain::FormatRfc3339(now)},
          {"fitted_at", domain::FormatRfc3339(fitted_at)},
          {"churn", churn ? boost::json::value(churn->ToJson()) : nullptr},
          {"engagement", engage ? boost::json::value(engage->ToJson()) : nullptr},
          {"lifetime_value", ltv ? boost::json::value(ltv->ToJson()) : nullptr},
          {"notes", std::move(notes_json)}};
}

std::optional<behavior::CustomerRfm> RfmAt(const UserActivity& a, absl::Time now) {
  std::optional<UserActivity::PurchaseSummary> p = a.Purchases();
  if (!p || p->first > now) return std::nullopt;
  behavior::CustomerRfm c;
  c.frequency = p->repeat_days;
  c.age = std::max(0.0, absl::ToDoubleSeconds(now - p->first) / kSecondsPerWeek);
  c.recency = p->repeat_days > 0
                  ? std::clamp(absl::ToDoubleSeconds(p->last - p->first) / kSecondsPerWeek, 0.0, c.age)
                  : 0.0;
  c.monetary = p->repeat_mean_amount;
  return c;
}

absl::StatusOr<OutcomeModel> FitOutcome(const ActivityReplay& replay, bool churn,
                                        const ActivityModelOptions& options) {
  const int early = churn ? kChurnEarly : kEngageEarly;
  const int late = churn ? kChurnLate : kEngageLate;
  const bool positive_is_active = !churn;
  ActivityReplay::Dataset train = replay.Rows(late, late, positive_is_active);
  if (static_cast<int>(train.size()) < options.min_users) {
    return absl::FailedPreconditionError(
        absl::StrCat(train.size(), " users with history before the last horizon (need ",
                     options.min_users, ")"));
  }
  absl::StatusOr<behavior::LogisticModel> model =
      behavior::FitLogistic(train.rows, kNumActivityFeatures, train.y(), options.fit);
  if (!model.ok()) return model.status();
  OutcomeModel out;
  out.name = churn ? "churn" : "engage";
  out.horizon = churn ? options.churn_horizon : options.engage_horizon;
  out.model = *std::move(model);
  out.train_rows = static_cast<int>(train.size());
  for (char y : train.labels) out.train_base_rate += y;
  out.train_base_rate /= static_cast<double>(train.size());

  // Out of time: the same recipe one horizon earlier, scored on `train`.
  ActivityReplay::Dataset earlier = replay.Rows(early, early, positive_is_active);
  if (static_cast<int>(earlier.size()) >= options.min_users) {
    absl::StatusOr<behavior::LogisticModel> previous =
        behavior::FitLogistic(earlier.rows, kNumActivityFeatures, earlier.y(), options.fit);
    if (previous.ok()) {
      std::vector<double> p(train.size()), recency_score(train.size()), engagement(train.size());
      for (size_t i = 0; i < train.size(); ++i) {
        p[i] = previous->Probability(
            std::span<const double>(&train.rows[i * kNumActivityFeatures], kNumActivityFeatures));
        // Longer since the last action = more likely churned, less likely active.
        recency_score[i] = churn ? train.recency[i] : -train.recency[i];
        const double log_engagement = train.rows[i * kNumActivityFeatures + kNumActivityFeatures - 1];
        engagement[i] = churn ? -log_engagement : log_engagement;
      }
      out.validation = behavior::EvaluateProbabilities(p, train.y());
      out.baseline_auc = behavior::RocAuc(recency_score, train.y());
      out.engagement_score_auc = behavior::RocAuc(engagement, train.y());
    }
  }
  return out;
}

ActivityModels FitActivityModels(const ActivityReplay& replay,
                                 std::span<const behavior::CustomerRfm> customers, absl::Time now,
                                 absl::Time fitted_at, const ActivityModelOptions& options) {
  ActivityModels m;
  m.now = now;
  m.fitted_at = fitted_at;
  if (absl::StatusOr<OutcomeModel> churn = FitOutcome(replay, true, options); churn.ok()) {
    m.churn = *std::move(churn);
  } else {
    m.notes.push_back(absl::StrCat("churn: ", churn.status().message()));
  }
  if (absl::StatusOr<OutcomeModel> engage = FitOutcome(replay, false, options); engage.ok()) {
    m.engage = *std::move(engage);
  } else {
    m.notes.push_back(absl::StrCat("engagement: ", engage.status().message()));
  }
  int repeat_buyers = 0;
  for (const behavior::CustomerRfm& c : customers) repeat_buyers += c.frequency > 0 ? 1 : 0;
  if (static_cast<int>(customers.size()) < options.min_users || repeat_buyers == 0) {
    m.notes.push_back(absl::StrCat("lifetime value: ", customers.size(), " purchasers, ",
                                   repeat_buyers, " with repeat purchases (need ", options.min_users,
                                   " purchasers and at least one repeat buyer)"));
    return m;
  }
  absl::StatusOr<behavior::BgNbdFit> bg = behavior::FitBgNbd(customers);
  if (!bg.ok()) {
    m.notes.push_back(absl::StrCat("lifetime value: ", bg.status().message()));
    return m;
  }
  LtvModel ltv{.purchases = bg->params, .customers = static_cast<int>(customers.size())};
  if (absl::StatusOr<behavior::GammaGammaFit> gg = behavior::FitGammaGamma(customers); gg.ok()) {
    ltv.spend = gg->params;
  } else {
    m.notes.push_back(absl::StrCat("spend model: ", gg.status().message()));
  }
  m.ltv = ltv;
  return m;
}

}  // namespace tailor::insights
