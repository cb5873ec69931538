// A calibrated probability from a handful of dense features: L2-regularised
// logistic regression on standardised features, fitted by liblinear's
// trust-region Newton solver (Debian's liblinear). Used for churn risk and
// for the probability of engaging in the next days (src/insights).
//
//   LogisticFitOptions options;               // C = 1, eps = 1e-4
//   absl::StatusOr<LogisticModel> m = FitLogistic(rows, labels, options);
//   double p = m->Probability(features);      // P(label == true)
//
// Rows are stored row-major, `num_features` values each. A feature that is
// constant in the training rows gets weight 0 (its standard deviation is
// treated as 1), so a model fitted where, say, no notification was ever sent
// still predicts from the other features.
//
// A model answers only inside what it was fitted on: each feature is clamped
// to its training range before it is weighed. A linear model would otherwise
// extrapolate without bound, and a feature that barely varied in training
// (every user's tenure close to 60 days) turns a new value (a user who
// arrived a minute ago) into a z-score of -70 and a probability of exactly 0
// or 1.
#ifndef TAILOR_MODELS_BEHAVIOR_LOGISTIC_MODEL_H_
#define TAILOR_MODELS_BEHAVIOR_LOGISTIC_MODEL_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"

namespace tailor::behavior {

struct LogisticModel {
  std::vector<double> mean;    // per feature, from the training rows
  std::vector<double> scale;   // per feature standard deviation (1 when constant)
  std::vector<double> weight;  // on standardised features
  double bias = 0.0;
  // Per feature training range; features are clamped to it. Empty (models
  // read from JSON written before it existed) means no clamping.
  std::vector<double> lower;
  std::vector<double> upper;

  int num_features() const { return static_cast<int>(weight.size()); }
  // log-odds of the positive class; features.size() must be num_features().
  double LogOdds(std::span<const double> features) const;
  double Probability(std::span<const double> features) const;
  // The value of feature j as the model weighs it: clamped to the training
  // range, then standardised.
  double Standardised(int j, double value) const;
  // weight * standardised value per feature: how much each feature pushed
  // this prediction's log-odds (for explanations).
  std::vector<double> Contributions(std::span<const double> features) const;

  boost::json::object ToJson() const;
  static absl::StatusOr<LogisticModel> FromJson(const boost::json::value& json);
};

struct LogisticFitOptions {
  double c = 1.0;      // inverse regularisation strength (liblinear's C)
  double eps = 1e-4;   // solver tolerance
};

// InvalidArgument when there are no rows, sizes disagree, a value is not
// finite, or only one class is present.
absl::StatusOr<LogisticModel> FitLogistic(std::span<const double> rows, int num_features,
                                          std::span<const uint8_t> labels,
                                          const LogisticFitOptions& options = {});

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_LOGISTIC_MODEL_H_
