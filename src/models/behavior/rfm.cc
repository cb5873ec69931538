#include "models/behavior/rfm.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace tailor::behavior {

namespace {

double InUnit(absl::Duration d, TimeUnit unit) {
  const double days = absl::ToDoubleHours(d) / 24.0;
  return unit == TimeUnit::kWeeks ? days / 7.0 : days;
}

absl::CivilDay UtcDay(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

struct Purchase {
  absl::Time time;
  double amount;
};

}  // namespace

double HoldoutLength(const RfmOptions& options) {
  if (!options.holdout_end.has_value()) return 0.0;
  return InUnit(*options.holdout_end - options.calibration_end, options.unit);
}

absl::StatusOr<std::vector<CustomerRfm>> SummarizeRfm(std::span<const Transaction> transactions,
                                                      const RfmOptions& options) {
  if (options.calibration_end == absl::InfinitePast() ||
      options.calibration_end == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("SummarizeRfm: calibration_end must be a finite time");
  }
  if (options.holdout_end.has_value() && *options.holdout_end < options.calibration_end) {
    return absl::InvalidArgumentError("SummarizeRfm: holdout_end is before calibration_end");
  }
  absl::flat_hash_map<std::string, size_t> index;
  std::vector<std::string> order;
  std::vector<std::vector<Purchase>> purchases;
  for (const Transaction& t : transactions) {
    if (t.customer.empty()) return absl::InvalidArgumentError("SummarizeRfm: empty customer id");
    if (!std::isfinite(t.amount)) {
      return absl::InvalidArgumentError("SummarizeRfm: non-finite amount for customer " +
                                        t.customer);
    }
    auto [it, inserted] = index.try_emplace(t.customer, order.size());
    if (inserted) {
      order.push_back(t.customer);
      purchases.emplace_back();
    }
    purchases[it->second].push_back({t.time, t.amount});
  }

  std::vector<CustomerRfm> out;
  out.reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    std::vector<Purchase>& list = purchases[i];
    std::sort(list.begin(), list.end(),
              [](const Purchase& a, const Purchase& b) { return a.time < b.time; });
    if (options.merge_same_day) {
      std::vector<Purchase> merged;
      for (const Purchase& p : list) {
        if (!merged.empty() && UtcDay(merged.back().time) == UtcDay(p.time)) {
          merged.back().amount += p.amount;
        } else {
          merged.push_back(p);
        }
      }
      list.swap(merged);
    }
    const absl::Time first = list.front().time;
    if (first > options.calibration_end) continue;
    CustomerRfm rfm;
    rfm.id = order[i];
    rfm.age = InUnit(options.calibration_end - first, options.unit);
    double repeat_spend = 0.0;
    for (size_t k = 1; k < list.size(); ++k) {
      const Purchase& p = list[k];
      if (p.time <= options.calibration_end) {
        rfm.frequency += 1.0;
        rfm.recency = InUnit(p.time - first, options.unit);
        repeat_spend += p.amount;
      } else if (options.holdout_end.has_value() && p.time <= *options.holdout_end) {
        rfm.holdout_frequency += 1.0;
      }
    }
    if (rfm.frequency > 0) rfm.monetary = repeat_spend / rfm.frequency;
    out.push_back(std::move(rfm));
  }
  return out;
}

}  // namespace tailor::behavior
