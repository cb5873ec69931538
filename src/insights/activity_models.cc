#include "insights/activity_models.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"

#include <boost/json.hpp>

#include "domain/validation.h"

namespace tailor::insights {
namespace {

constexpr double kSecondsPerWeek = 7 * 86400.0;
// Cutoff positions of ActivityReplay::ForModels (he = engagement horizon,
// hc = churn horizon).
constexpr int kCutEngage = 0;             // now - he: engage fit, its validation rows
constexpr int kCutEngageEarly = 1;        // now - 2 he: engage validation fit
constexpr int kCutChurn = 2;              // now - hc: continuation fit, churn validation rows
constexpr int kCutChurnEarly = 3;         // now - 2 hc: continuation validation fit
constexpr int kCutEngageBeforeChurn = 4;  // now - hc - he: engage step of churn validation
// Window positions (bits of ActivityReplay's masks).
constexpr uint32_t kWinEngage = 1u << 0;             // (now - he, now]
constexpr uint32_t kWinEngageEarly = 1u << 1;        // (now - 2 he, now - he]
constexpr uint32_t kWinChurnNear = 1u << 2;          // (now - hc, now - hc + he]
constexpr uint32_t kWinChurnFar = 1u << 3;           // (now - hc + he, now]
constexpr uint32_t kWinChurnEarlyNear = 1u << 4;     // (now - 2 hc, now - 2 hc + he]
constexpr uint32_t kWinChurnEarlyFar = 1u << 5;      // (now - 2 hc + he, now - hc]
constexpr uint32_t kWinEngageBeforeChurn = 1u << 6;  // (now - hc - he, now - hc]

std::span<const double> Row(const ActivityReplay::Dataset& d, size_t i) {
  return std::span<const double>(&d.rows[i * kNumActivityFeatures], kNumActivityFeatures);
}

std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

// A logistic model of `d`, or why there is none. When every row has the same
// label (say nobody silent for a week came back within the month) there is
// nothing to separate: the model is the constant rate (k + 0.5) / (n + 1) of
// k positives in n rows, and `note` (when not null) says so.
absl::StatusOr<behavior::LogisticModel> FitRows(const ActivityReplay::Dataset& d, absl::Time cutoff,
                                                std::string_view what,
                                                const ActivityModelOptions& options,
                                                std::string* note = nullptr) {
  if (static_cast<int>(d.size()) < options.min_users) {
    return absl::FailedPreconditionError(tailor::StrCat(d.size(), " users ", what, " at ", Day(cutoff),
                                                        " (need ", options.min_users, ")"));
  }
  size_t positives = 0;
  for (uint8_t y : d.labels) positives += y;
  if (positives == 0 || positives == d.size()) {
    const double rate = (static_cast<double>(positives) + 0.5) / (static_cast<double>(d.size()) + 1.0);
    behavior::LogisticModel constant;
    constant.mean.assign(kNumActivityFeatures, 0.0);
    constant.scale.assign(kNumActivityFeatures, 1.0);
    constant.weight.assign(kNumActivityFeatures, 0.0);
    constant.bias = std::log(rate / (1.0 - rate));
    if (note != nullptr) {
      *note = tailor::StrCat("all ", d.size(), " users ", what, " at ", Day(cutoff),
                             positives == 0 ? " had no positive outcome" : " had a positive outcome",
                             ": a constant rate of ", fmt::format("{:.3g}", rate), " for everyone");
    }
    return constant;
  }
  absl::StatusOr<behavior::LogisticModel> m =
      behavior::FitLogistic(d.rows, kNumActivityFeatures, d.y(), options.fit);
  if (!m.ok()) {
    return absl::FailedPreconditionError(
        tailor::StrCat(d.size(), " users ", what, " at ", Day(cutoff), ": ", View(m.status().message())));
  }
  return m;
}

// Out-of-time metrics of `p` on `rows`, with the recency-only and
// engagement-score-only rankings on the same rows. `positive_is_active`
// orients the baselines.
void Validate(OutcomeModel& out, const ActivityReplay::Dataset& rows, std::span<const double> p,
              bool positive_is_active) {
  std::vector<double> recency(rows.size()), engagement(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    // Longer since the last action = more likely churned, less likely active.
    recency[i] = positive_is_active ? -rows.recency[i] : rows.recency[i];
    const double log_engagement = rows.rows[i * kNumActivityFeatures + kNumActivityFeatures - 1];
    engagement[i] = positive_is_active ? log_engagement : -log_engagement;
  }
  out.validation = behavior::EvaluateProbabilities(p, rows.y());
  out.baseline_auc = behavior::RocAuc(recency, rows.y());
  out.engagement_score_auc = behavior::RocAuc(engagement, rows.y());
}

boost::json::object WeightsJson(const behavior::LogisticModel& m) {
  boost::json::object features;
  for (int j = 0; j < kNumActivityFeatures && j < m.num_features(); ++j) {
    features[kActivityFeatureNames[j]] = m.weight[j];
  }
  return features;
}

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
  return ActivityReplay({now - he, now - 2 * he, now - hc, now - 2 * hc, now - hc - he},
                        {{now - he, now},
                         {now - 2 * he, now - he},
                         {now - hc, now - hc + he},
                         {now - hc + he, now},
                         {now - 2 * hc, now - 2 * hc + he},
                         {now - 2 * hc + he, now - hc},
                         {now - hc - he, now - hc}},
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

ActivityReplay::Dataset ActivityReplay::Rows(int c, uint32_t acted, uint32_t silent,
                                             bool positive_is_active) const {
  Dataset d;
  const absl::Time cutoff = cutoffs_[c];
  for (const auto& [id, entry] : users_) {
    const UserActivity& a = entry.at[c];
    if (a.empty() || (entry.active & silent) != 0) continue;
    ActivityFeatureVector f = ActivityFeatures(a, cutoff);
    d.rows.insert(d.rows.end(), f.begin(), f.end());
    const bool active = (entry.active & acted) != 0;
    d.labels.push_back(active == positive_is_active ? 1 : 0);
    d.recency.push_back(a.RecencyDays(cutoff));
  }
  return d;
}

double ChurnProbability(const OutcomeModel& engage, const OutcomeModel& churn,
                        std::span<const double> f) {
  return (1.0 - engage.model.Probability(f)) * (1.0 - churn.model.Probability(f));
}

const char* OutcomeModel::RiskLevel(double churn) const {
  return churn >= high_from ? "high" : churn >= medium_from ? "medium" : "low";
}

boost::json::object OutcomeModel::ToJson() const {
  boost::json::object out{{"name", name}, {"horizon_days", absl::ToDoubleHours(horizon) / 24.0}};
  if (name == "churn") {
    out["train_users"] = outcome_rows;
    out["train_base_rate"] = outcome_base_rate;
    out["risk_levels"] = {{"medium_from", medium_from}, {"high_from", high_from}};
    out["continuation"] = {{"train_users", train_rows},
                           {"base_rate", train_base_rate},
                           {"weights", WeightsJson(model)},
                           {"bias", model.bias}};
  } else {
    out["train_users"] = train_rows;
    out["train_base_rate"] = train_base_rate;
    out["weights"] = WeightsJson(model);
    out["bias"] = model.bias;
  }
  if (!note.empty()) out["note"] = note;
  out["validation"] = nullptr;
  if (validation) {
    boost::json::object v = MetricsJson(*validation);
    v["recency_baseline_auc"] = std::isfinite(baseline_auc) ? boost::json::value(baseline_auc) : nullptr;
    v["engagement_score_auc"] =
        std::isfinite(engagement_score_auc) ? boost::json::value(engagement_score_auc) : nullptr;
    out["validation"] = std::move(v);
  } else {
    out["validation_note"] = validation_note;
  }
  return out;
}

boost::json::object LtvModel::ToJson() const {
  boost::json::object out{
      {"customers", customers},
      {"time_unit", "weeks"},
      {"bg_nbd", {{"r", purchases.r}, {"alpha", purchases.alpha}, {"a", purchases.a}, {"b", purchases.b}}},
      {"gamma_gamma", nullptr},
      {"validation", nullptr},
      {"validation_note", validation_note}};
  if (spend) {
    out["gamma_gamma"] = {
        {"p", spend->p}, {"q", spend->q}, {"gamma", spend->gamma}, {"identified", spend_identified}};
  }
  return out;
}

ActivityModels::Scores ActivityModels::Score(const UserActivity& a, absl::Time now) const {
  Scores s;
  if (a.empty()) return s;
  // A probability that is not a number is no score (never expected: the
  // inputs are bounded; kept so one bad value cannot break a whole scan).
  auto finite = [](double p) { return std::isfinite(p) ? std::optional<double>(p) : std::nullopt; };
  const ActivityFeatureVector f = ActivityFeatures(a, now);
  if (engage) s.engage = finite(engage->model.Probability(f));
  if (engage && churn) s.churn = finite(ChurnProbability(*engage, *churn, f));
  return s;
}

std::vector<double> ActivityModels::ChurnContributions(const UserActivity& a, absl::Time now) const {
  std::vector<double> out(kNumActivityFeatures, 0.0);
  if (!engage || !churn) return out;
  const ActivityFeatureVector f = ActivityFeatures(a, now);
  std::vector<double> first = engage->model.Contributions(f), later = churn->model.Contributions(f);
  for (int j = 0; j < kNumActivityFeatures; ++j) out[j] = -(first[j] + later[j]);
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

absl::StatusOr<OutcomeModel> FitEngagement(const ActivityReplay& replay,
                                           const ActivityModelOptions& options) {
  ActivityReplay::Dataset train = replay.Rows(kCutEngage, kWinEngage, 0, true);
  OutcomeModel out;
  absl::StatusOr<behavior::LogisticModel> model =
      FitRows(train, replay.cutoff(kCutEngage), "with history", options, &out.note);
  if (!model.ok()) return model.status();
  out.name = "engage";
  out.horizon = options.engage_horizon;
  out.model = *std::move(model);
  out.train_rows = static_cast<int>(train.size());
  for (uint8_t y : train.labels) out.train_base_rate += y;
  out.train_base_rate /= static_cast<double>(train.size());

  // Out of time: the same recipe one horizon earlier, scored on `train`.
  ActivityReplay::Dataset earlier = replay.Rows(kCutEngageEarly, kWinEngageEarly, 0, true);
  absl::StatusOr<behavior::LogisticModel> previous =
      FitRows(earlier, replay.cutoff(kCutEngageEarly), "with history", options);
  if (!previous.ok()) {
    out.validation_note = absl::StrCat("not validated out of time: ", previous.status().message());
    return out;
  }
  std::vector<double> p(train.size());
  for (size_t i = 0; i < train.size(); ++i) p[i] = previous->Probability(Row(train, i));
  Validate(out, train, p, /*positive_is_active=*/true);
  return out;
}

absl::StatusOr<OutcomeModel> FitChurn(const ActivityReplay& replay, const OutcomeModel& engage,
                                      const ActivityModelOptions& options) {
  if (options.churn_horizon <= options.engage_horizon) {
    return absl::FailedPreconditionError(
        "the churn horizon must be longer than the engagement horizon (churn is built on it)");
  }
  const std::string silent_days =
      absl::StrCat("silent for the first ", absl::ToDoubleHours(options.engage_horizon) / 24, " days");
  ActivityReplay::Dataset train = replay.Rows(kCutChurn, kWinChurnFar, kWinChurnNear, true);
  OutcomeModel out;
  absl::StatusOr<behavior::LogisticModel> model = FitRows(
      train, replay.cutoff(kCutChurn), absl::StrCat("with history and ", silent_days), options, &out.note);
  if (!model.ok()) return model.status();
  if (!out.note.empty()) out.note = absl::StrCat("continuation: ", out.note);
  out.name = "churn";
  out.horizon = options.churn_horizon;
  out.model = *std::move(model);
  out.train_rows = static_cast<int>(train.size());
  for (uint8_t y : train.labels) out.train_base_rate += y;
  out.train_base_rate /= static_cast<double>(train.size());

  // Who churned among everyone with history one churn horizon ago: the
  // tenant's base rate, and the risk levels from the served probabilities.
  ActivityReplay::Dataset outcome =
      replay.Rows(kCutChurn, kWinChurnNear | kWinChurnFar, 0, /*positive_is_active=*/false);
  out.outcome_rows = static_cast<int>(outcome.size());
  for (uint8_t y : outcome.labels) out.outcome_base_rate += y;
  if (!outcome.labels.empty()) out.outcome_base_rate /= static_cast<double>(outcome.size());
  {
    std::vector<double> p(outcome.size());
    for (size_t i = 0; i < outcome.size(); ++i) p[i] = ChurnProbability(engage, out, Row(outcome, i));
    std::sort(p.begin(), p.end(), std::greater<>());
    const size_t k = static_cast<size_t>(std::llround(out.outcome_base_rate * static_cast<double>(p.size())));
    out.high_from = k > 0 ? p[k - 1] : 1.0;
    out.medium_from = std::min(out.outcome_base_rate, out.high_from);
  }

  // Out of time: both steps fitted one churn horizon earlier, scored on
  // `outcome`.
  ActivityReplay::Dataset first =
      replay.Rows(kCutEngageBeforeChurn, kWinEngageBeforeChurn, 0, true);
  absl::StatusOr<behavior::LogisticModel> previous_first =
      FitRows(first, replay.cutoff(kCutEngageBeforeChurn), "with history", options);
  ActivityReplay::Dataset later = replay.Rows(kCutChurnEarly, kWinChurnEarlyFar, kWinChurnEarlyNear, true);
  absl::StatusOr<behavior::LogisticModel> previous_later =
      FitRows(later, replay.cutoff(kCutChurnEarly), absl::StrCat("with history and ", silent_days), options);
  if (!previous_first.ok() || !previous_later.ok()) {
    out.validation_note = absl::StrCat(
        "not validated out of time: ",
        (!previous_later.ok() ? previous_later.status() : previous_first.status()).message());
    return out;
  }
  std::vector<double> p(outcome.size());
  for (size_t i = 0; i < outcome.size(); ++i) {
    p[i] = (1.0 - previous_first->Probability(Row(outcome, i))) *
           (1.0 - previous_later->Probability(Row(outcome, i)));
  }
  Validate(out, outcome, p, /*positive_is_active=*/false);
  return out;
}

ActivityModels FitActivityModels(const ActivityReplay& replay,
                                 std::span<const behavior::CustomerRfm> customers, absl::Time now,
                                 absl::Time fitted_at, const ActivityModelOptions& options) {
  ActivityModels m;
  m.now = now;
  m.fitted_at = fitted_at;
  if (absl::StatusOr<OutcomeModel> engage = FitEngagement(replay, options); engage.ok()) {
    m.engage = *std::move(engage);
    if (absl::StatusOr<OutcomeModel> churn = FitChurn(replay, *m.engage, options); churn.ok()) {
      m.churn = *std::move(churn);
    } else {
      m.notes.push_back(absl::StrCat("churn: ", churn.status().message()));
    }
  } else {
    m.notes.push_back(absl::StrCat("engagement: ", engage.status().message()));
    m.notes.push_back("churn: needs the engagement model (churn is built on it)");
  }
  for (const std::optional<OutcomeModel>* o : {&m.engage, &m.churn}) {
    if (!*o) continue;
    const char* prefix = (*o)->name == "churn" ? "churn: " : "engagement: ";
    if (!(*o)->note.empty()) m.notes.push_back(absl::StrCat(prefix, (*o)->note));
    if (!(*o)->validation) m.notes.push_back(absl::StrCat(prefix, (*o)->validation_note));
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
  LtvModel ltv;
  ltv.purchases = bg->params;
  ltv.customers = static_cast<int>(customers.size());
  ltv.validation_note =
      "no holdout check in the server: the BG/NBD and Gamma-Gamma fits are validated offline "
      "against published CDNOW estimates (docs/EVALUATION.md)";
  if (absl::StatusOr<behavior::GammaGammaFit> gg = behavior::FitGammaGamma(customers); gg.ok()) {
    ltv.spend = gg->params;
    ltv.spend_identified = gg->identified;
    if (!gg->identified) m.notes.push_back(absl::StrCat("lifetime value: ", gg->note));
  } else {
    m.notes.push_back(absl::StrCat("spend model: ", gg.status().message()));
  }
  m.ltv = ltv;
  return m;
}

}  // namespace tailor::insights
