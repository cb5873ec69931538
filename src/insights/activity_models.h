// The tenant-level models behind a profile's predictive scores, fitted in the
// background from the tenant's own event history:
//   engage  P(at least one user action in the next `engage_horizon`, 7 days),
//   churn   P(no user action in the next `churn_horizon`, default 30 days),
// and lifetime value from BG/NBD + Gamma-Gamma on purchase days.
//
// Both outcomes come from one model of the time to a user's next action, in
// two steps (a discrete-time hazard): engage is a logistic model of acting
// within the engagement horizon; a second logistic model, the continuation,
// gives P(acting later in the churn horizon | silent through the engagement
// horizon), and
//   churn = (1 - engage) * (1 - continuation).
// So churn <= 1 - engage for every user by construction: nobody is both
// likely to act this week and likely to stay silent all month.
//
// Temporal split, with `now` the tenant's "now" (ProfileStore::as_of): the
// engage step is fitted on users' features at now - he labelled by what they
// did in (now - he, now]; the continuation on users' features at now - hc who
// were silent in (now - hc, now - hc + he], labelled by (now - hc + he, now].
// Validation is out of time: the same recipe one horizon earlier (its labels
// end where the served model's rows start) is scored on the served rows, so
// the reported AUC and calibration come from rows the scoring models never
// saw. A recency-only ranking is reported beside it as the baseline to beat.
// When validation is impossible (too little history, one class) the model
// says why in `validation_note`.
//
// Risk levels are the tenant's own: `high` holds the users ranked above the
// (1 - b) quantile of churn probability on the latest labelled rows, where b
// is the share of those users who did churn, so the band is as large as the
// churn the tenant saw; `medium` starts at b (above-average risk).
//
//   ActivityReplay replay = ActivityReplay::ForModels(now, options);
//   store.ScanEvents(..., [&](const Event& e) { replay.Add(e.user_id, ActivityFromEvent(e, w)); });
//   ActivityModels models = FitActivityModels(replay, rfm, now, options);
//   ActivityModels::Scores s = models.Score(activity, now);  // engage, churn
#ifndef TAILOR_INSIGHTS_ACTIVITY_MODELS_H_
#define TAILOR_INSIGHTS_ACTIVITY_MODELS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/strings.h"
#include "insights/user_activity.h"
#include "models/behavior/bg_nbd.h"
#include "models/behavior/classification_metrics.h"
#include "models/behavior/gamma_gamma.h"
#include "models/behavior/logistic_model.h"
#include "models/behavior/rfm.h"

namespace tailor::insights {

struct ActivityModelOptions {
  absl::Duration churn_horizon = absl::Hours(24 * 30);
  absl::Duration engage_horizon = absl::Hours(24 * 7);
  // Fewer labelled users (or only one class) leaves an outcome model unfitted.
  int min_users = 30;
  // At most about this many users are replayed (a deterministic hash sample).
  int64_t max_users = 100000;
  behavior::LogisticFitOptions fit;
};

// Users' activity captured at fixed cutoffs, and whether they acted in fixed
// windows, from one pass over events in any order.
class ActivityReplay {
 public:
  // `sample_modulus` k > 1 keeps users whose id hash is 0 mod k.
  ActivityReplay(std::vector<absl::Time> cutoffs, std::vector<std::pair<absl::Time, absl::Time>> windows,
                 uint64_t sample_modulus = 1);
  // The cutoffs and windows of the recipe above (positions in
  // activity_models.cc).
  static ActivityReplay ForModels(absl::Time now, const ActivityModelOptions& options,
                                  int64_t expected_users);

  // Whether `user` is in the sample (callers skip preparing events of the
  // others); Add ignores users outside it.
  bool Keeps(std::string_view user) const {
    return modulus_ <= 1 || std::hash<std::string_view>{}(user) % modulus_ == 0;
  }
  void Add(std::string_view user, const ActivityEvent& event);

  struct Dataset {
    std::vector<double> rows;    // kNumActivityFeatures per row
    std::vector<uint8_t> labels;  // 1 = positive class
    std::vector<double> recency; // days, for the baseline
    size_t size() const { return labels.size(); }
    std::span<const uint8_t> y() const { return labels; }
  };
  // Users with a user action at or before cutoff `c` and none in the windows
  // of bit mask `silent`; label = acted in a window of bit mask `acted` (or
  // did not, with `positive_is_active` false).
  Dataset Rows(int c, uint32_t acted, uint32_t silent, bool positive_is_active) const;
  size_t num_users() const { return users_.size(); }
  absl::Time cutoff(int c) const { return cutoffs_[c]; }

 private:
  struct Entry {
    std::vector<UserActivity> at;  // per cutoff
    uint32_t active = 0;           // bit w: a user action inside window w
  };
  std::vector<absl::Time> cutoffs_;
  std::vector<std::pair<absl::Time, absl::Time>> windows_;  // (begin, end]
  uint64_t modulus_;
  StringMap<Entry> users_;
};

struct OutcomeModel {
  std::string name;  // "churn" or "engage"
  absl::Duration horizon;
  // engage: P(action within the engagement horizon); churn: the
  // continuation step P(action later in the churn horizon | silent through
  // the engagement horizon). The churn probability needs both (see above).
  behavior::LogisticModel model;
  // Set when the training rows held one class and `model` is that constant
  // rate (see FitRows in activity_models.cc); empty otherwise.
  std::string note;
  int train_rows = 0;            // rows `model` was fitted on
  double train_base_rate = 0.0;  // their positive share
  // churn: the users with history at now - hc and the share of them with no
  // action in (now - hc, now], and the risk levels derived from them.
  int outcome_rows = 0;
  double outcome_base_rate = 0.0;
  double medium_from = 0.3;
  double high_from = 0.7;
  // Out-of-time validation (see above); when absent, `validation_note` says
  // why.
  std::optional<behavior::BinaryMetrics> validation;
  std::string validation_note;
  double baseline_auc = 0.0;  // recency-only ranking on the same rows
  // Ranking by the profile's engagement score alone (the engagement sum) on
  // the same rows: how much the documented score says by itself.
  double engagement_score_auc = 0.0;

  // The risk level of a churn probability: "low", "medium" or "high".
  const char* RiskLevel(double churn) const;
  boost::json::object ToJson() const;
};

struct LtvModel {
  behavior::BgNbdParams purchases;
  std::optional<behavior::GammaGammaParams> spend;  // needs repeat buyers with amounts
  // False when the spend model's heterogeneity was not identified and
  // `spend` is the bound of gamma_gamma.h (a note says so).
  bool spend_identified = true;
  int customers = 0;
  // Why there is no holdout validation in the server.
  std::string validation_note;
  boost::json::object ToJson() const;
};

struct ActivityModels {
  absl::Time now = absl::InfinitePast();  // the tenant's newest event when fitted
  absl::Time fitted_at = absl::InfinitePast();
  std::optional<OutcomeModel> churn;
  std::optional<OutcomeModel> engage;
  std::optional<LtvModel> ltv;
  std::vector<std::string> notes;  // why a model is missing or flagged

  struct Scores {
    std::optional<double> engage;  // P(action within the engagement horizon)
    std::optional<double> churn;   // P(no action within the churn horizon)
  };
  // A user's scores at `now`; empty for a user without actions. churn needs
  // both steps; churn <= 1 - engage whenever both are present.
  Scores Score(const UserActivity& a, absl::Time now) const;
  // log-odds contributions per feature to staying silent through the churn
  // horizon: minus the sum of both steps' contributions to acting.
  std::vector<double> ChurnContributions(const UserActivity& a, absl::Time now) const;
  boost::json::object ToJson() const;
};

// A user's purchase summary in weeks at `now` (the RFM convention of
// models/behavior/rfm.h); nullopt without purchases.
std::optional<behavior::CustomerRfm> RfmAt(const UserActivity& a, absl::Time now);

// The two outcome models from the replay built by ForModels (see above).
// FitChurn needs the fitted engage step; FailedPrecondition when the
// churn horizon does not exceed the engagement horizon or rows are too few.
absl::StatusOr<OutcomeModel> FitEngagement(const ActivityReplay& replay,
                                           const ActivityModelOptions& options);
absl::StatusOr<OutcomeModel> FitChurn(const ActivityReplay& replay, const OutcomeModel& engage,
                                      const ActivityModelOptions& options);
// (1 - P(engage)) * (1 - P(continue)) for features `f`.
double ChurnProbability(const OutcomeModel& engage, const OutcomeModel& churn,
                        std::span<const double> f);
// Fits everything it can; what it cannot fit is explained in `notes`.
ActivityModels FitActivityModels(const ActivityReplay& replay,
                                 std::span<const behavior::CustomerRfm> customers, absl::Time now,
                                 absl::Time fitted_at, const ActivityModelOptions& options);

}  // namespace tailor::insights

#endif  // TAILOR_INSIGHTS_ACTIVITY_MODELS_H_
