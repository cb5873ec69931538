// The tenant-level models behind a profile's predictive scores, fitted in the
// background from the tenant's own event history:
//   churn   P(no user action in the next `churn_horizon`, default 30 days),
//   engage  P(at least one user action in the next `engage_horizon`, 7 days),
// both logistic models (models/behavior/logistic_model) on ActivityFeatures,
// and lifetime value from BG/NBD + Gamma-Gamma on purchase days.
//
// Temporal split, with `now` the tenant's newest event: an outcome model is
// fitted on users' features at now - h labelled by what they did in
// (now - h, now] and served; the same recipe one horizon earlier (features
// at now - 2h, labels in (now - 2h, now - h]) is scored on the served
// model's training rows, so the reported AUC and calibration are out of time,
// never on rows the scored model saw. A recency-only ranking is reported
// beside it as the baseline to beat.
//
//   ActivityReplay replay = ActivityReplay::ForModels(now, options);
//   store.ScanEvents(..., [&](const Event& e) { replay.Add(e.user_id, ActivityFromEvent(e, w)); });
//   ActivityModels models = FitActivityModels(replay, rfm, now, options);
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
  // Cutoffs now - 2h, now - h for both horizons, and their label windows.
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
  // Users with a user action at or before cutoff `c`; label = acted in
  // window `w` (or did not, with `positive_is_active` false).
  Dataset Rows(int c, int w, bool positive_is_active) const;
  size_t num_users() const { return users_.size(); }

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
  behavior::LogisticModel model;
  int train_rows = 0;
  double train_base_rate = 0.0;
  // Out-of-time validation (see above); absent when the earlier window had
  // too few users.
  std::optional<behavior::BinaryMetrics> validation;
  double baseline_auc = 0.0;  // recency-only ranking on the same rows
  // Ranking by the profile's engagement score alone (the engagement sum) on
  // the same rows: how much the documented score says by itself.
  double engagement_score_auc = 0.0;

  double Probability(const UserActivity& a, absl::Time now) const;
  boost::json::object ToJson() const;
};

struct LtvModel {
  behavior::BgNbdParams purchases;
  std::optional<behavior::GammaGammaParams> spend;  // needs repeat buyers with amounts
  int customers = 0;
  boost::json::object ToJson() const;
};

struct ActivityModels {
  absl::Time now = absl::InfinitePast();  // the tenant's newest event when fitted
  absl::Time fitted_at = absl::InfinitePast();
  std::optional<OutcomeModel> churn;
  std::optional<OutcomeModel> engage;
  std::optional<LtvModel> ltv;
  std::vector<std::string> notes;  // why a model is missing
  boost::json::object ToJson() const;
};

// A user's purchase summary in weeks at `now` (the RFM convention of
// models/behavior/rfm.h); nullopt without purchases.
std::optional<behavior::CustomerRfm> RfmAt(const UserActivity& a, absl::Time now);

// Fits one outcome model from the replay built by ForModels (see above).
absl::StatusOr<OutcomeModel> FitOutcome(const ActivityReplay& replay, bool churn,
                                        const ActivityModelOptions& options);
// Fits everything it can; what it cannot fit is explained in `notes`.
ActivityModels FitActivityModels(const ActivityReplay& replay,
                                 std::span<const behavior::CustomerRfm> customers, absl::Time now,
                                 absl::Time fitted_at, const ActivityModelOptions& options);

}  // namespace tailor::insights

#endif  // TAILOR_INSIGHTS_ACTIVITY_MODELS_H_
