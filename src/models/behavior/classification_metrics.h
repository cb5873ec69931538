// Quality of predicted probabilities for a binary outcome: ranking (ROC AUC)
// and calibration (Brier score, log loss, expected calibration error and a
// reliability table of equal-width probability bins).
//
//   BinaryMetrics m = EvaluateProbabilities(predicted, observed, 10);
//   // m.auc 0.81, m.ece 0.02, m.bins[3] = {0.3..0.4, mean_predicted .35, observed_rate .33}
#ifndef TAILOR_MODELS_BEHAVIOR_CLASSIFICATION_METRICS_H_
#define TAILOR_MODELS_BEHAVIOR_CLASSIFICATION_METRICS_H_

#include <cstdint>
#include <span>
#include <vector>

namespace tailor::behavior {

struct ReliabilityBin {
  double lower = 0.0;  // predicted probability range [lower, upper)
  double upper = 0.0;
  int count = 0;
  double mean_predicted = 0.0;  // 0 for an empty bin
  double observed_rate = 0.0;   // share of positives; 0 for an empty bin
};

struct BinaryMetrics {
  int count = 0;
  int positives = 0;
  double base_rate = 0.0;
  // Probability that a random positive scores above a random negative (ties
  // count one half). NaN when either class is absent.
  double auc = 0.0;
  double brier = 0.0;     // mean (p - y)^2
  double log_loss = 0.0;  // mean -log p(y), with p clamped to [1e-15, 1 - 1e-15]
  // sum over bins of count/N * |mean_predicted - observed_rate|.
  double ece = 0.0;
  std::vector<ReliabilityBin> bins;
};

// ROC AUC of `scores` for `labels` (any monotone score works). NaN when
// either class is absent. O(n log n).
double RocAuc(std::span<const double> scores, std::span<const uint8_t> labels);

// `predicted` are probabilities in [0, 1] of the positive class, `labels` 1
// for a positive (0 otherwise); `bins` >= 1. Sizes must match.
BinaryMetrics EvaluateProbabilities(std::span<const double> predicted, std::span<const uint8_t> labels,
                                    int bins = 10);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_CLASSIFICATION_METRICS_H_
