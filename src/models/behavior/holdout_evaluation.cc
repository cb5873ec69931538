#include "models/behavior/holdout_evaluation.h"

#include <algorithm>

namespace tailor::behavior {

HoldoutComparison CompareHoldout(const BgNbdParams& params, std::span<const CustomerRfm> customers,
                                 double holdout_length, int max_group) {
  max_group = std::max(max_group, 1);
  HoldoutComparison out;
  out.holdout_length = holdout_length;
  out.customers = static_cast<int>(customers.size());
  out.by_frequency.resize(max_group + 1);
  for (int g = 0; g <= max_group; ++g) {
    out.by_frequency[g].calibration_purchases = g;
    out.by_frequency[g].open_ended = g == max_group;
  }
  for (const CustomerRfm& c : customers) {
    const double predicted =
        ConditionalExpectedPurchases(params, holdout_length, c.frequency, c.recency, c.age);
    out.actual_total += c.holdout_frequency;
    out.conditional_total += predicted;
    out.unconditional_total +=
        ExpectedPurchases(params, c.age + holdout_length) - ExpectedPurchases(params, c.age);
    const int g = static_cast<int>(std::min<double>(c.frequency, max_group));
    HoldoutGroup& group = out.by_frequency[g];
    ++group.customers;
    group.actual_mean += c.holdout_frequency;
    group.predicted_mean += predicted;
  }
  for (HoldoutGroup& group : out.by_frequency) {
    if (group.customers > 0) {
      group.actual_mean /= group.customers;
      group.predicted_mean /= group.customers;
    }
  }
  return out;
}

}  // namespace tailor::behavior
