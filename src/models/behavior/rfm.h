// RFM summaries for buy-till-you-die models: from raw (customer, time,
// amount) transactions and a calibration cutoff, per customer
//   frequency x  = number of repeat purchases (purchases after the first),
//   recency  t_x = time of the last repeat purchase, measured from the first
//                  purchase (0 when x == 0),
//   age      T   = time from the first purchase to the calibration end,
//   monetary     = mean amount of the repeat purchases (0 when x == 0),
// plus the number of purchases in an optional holdout window after the
// cutoff. This is the convention of the BG/NBD and Gamma-Gamma papers and of
// the CDNOW summary files (verified against cdnow_customers_summary.csv).
//
//   tailor::behavior::RfmOptions options;
//   options.calibration_end = absl::FromCivil(absl::CivilDay(1997, 9, 30), absl::UTCTimeZone());
//   options.holdout_end = absl::FromCivil(absl::CivilDay(1998, 6, 30), absl::UTCTimeZone());
//   auto customers = tailor::behavior::SummarizeRfm(transactions, options);
#ifndef TAILOR_MODELS_BEHAVIOR_RFM_H_
#define TAILOR_MODELS_BEHAVIOR_RFM_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tailor::behavior {

struct Transaction {
  std::string customer;
  absl::Time time;
  double amount = 0.0;
};

// One customer's calibration summary. Times are in the unit chosen when
// summarising (weeks for CDNOW); the models are unit-agnostic as long as
// all customers and prediction horizons share the unit.
struct CustomerRfm {
  std::string id;
  double frequency = 0.0;          // x: repeat purchases, a whole number
  double recency = 0.0;            // t_x in [0, T]
  double age = 0.0;                // T
  double monetary = 0.0;           // mean repeat-purchase amount (zbar)
  double holdout_frequency = 0.0;  // purchases in (calibration_end, holdout_end]
};

enum class TimeUnit { kDays, kWeeks };

struct RfmOptions {
  // Transactions at or before this instant are calibration data. T is
  // measured up to this instant (CDNOW: 1997-09-30 00:00 UTC with dates at
  // midnight, giving T = 38.86 weeks for a customer born on 1997-01-01).
  absl::Time calibration_end = absl::InfinitePast();
  // When set, purchases in (calibration_end, holdout_end] are counted in
  // holdout_frequency; later ones are ignored.
  std::optional<absl::Time> holdout_end;
  TimeUnit unit = TimeUnit::kWeeks;
  // Several transactions on the same UTC day count as one purchase with the
  // summed amount (as the papers and the BTYD package do).
  bool merge_same_day = true;
};

// Customers whose first purchase is after calibration_end are left out.
// Output order: order of each customer's first appearance in `transactions`
// (which need not be sorted). InvalidArgument for an empty customer id, a
// non-finite amount, or a finite calibration_end missing.
absl::StatusOr<std::vector<CustomerRfm>> SummarizeRfm(std::span<const Transaction> transactions,
                                                      const RfmOptions& options);

// Length of the holdout window in `unit` (0 when there is none).
double HoldoutLength(const RfmOptions& options);

}  // namespace tailor::behavior

#endif  // TAILOR_MODELS_BEHAVIOR_RFM_H_
