// Calibration/holdout check of a fitted BG/NBD model, as in Fader, Hardie &
// Lee (2005): predicted vs actual repeat purchases in the holdout window,
// in total and grouped by the number of calibration repeat purchases
// (0, 1, ..., max_group - 1, max_group+).
//
//   auto cmp = tailor::behavior::CompareHoldout(fit.params, customers, 39.0);
//   // cmp.actual_total vs cmp.conditional_total
#ifndef TAILOR_MODELS_BEHAVIOR_HOLDOUT_EVALUATION_H_
#define TAILOR_MODELS_BEHAVIOR_HOLDOUT_EVALUATION_H_

#include <span>
#include <vector>

#include "models/behavior/bg_nbd.h"
#include "models/behavior/rfm.h"

namespace tailor::behavior {

struct HoldoutGroup {
  int calibration_purchases = 0;  // x; the last group holds x >= this value
  bool open_ended = false;
  int customers = 0;
  double actual_mean = 0.0;     // mean holdout purchases
  double predicted_mean = 0.0;  // mean E[Y(holdout) | x, t_x, T]
};

struct HoldoutComparison {
  double holdout_length = 0.0;
  int customers = 0;
  double actual_total = 0.0;
  // Sum of E[Y(holdout) | x, t_x, T] over customers.
  double conditional_total = 0.0;
  // Cohort forecast without using the histories: sum of
  // E[X(T + holdout)] - E[X(T)] (the paper's tracking plot at its end).
  double unconditional_total = 0.0;
  std::vector<HoldoutGroup> by_frequency;
};

// Uses frequency, recency, age and holdout_frequency of each customer.
// max_group >= 1; an empty group has means 0.
HoldoutComparison CompareHoldout(const BgNbdParams& params, std::span<const CustomerRfm> customers,
                                 double holdout_length, int max_group = 7);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_HOLDOUT_EVALUATION_H_
