// Send-time optimisation. A user's engagement history is a histogram over
// the 168 local hours of the week (so "Tuesday 9:00" means 9:00 wherever and
// whenever the user is, across DST). The estimate of when the user engages
// is the Dirichlet posterior mean, shrunk toward the tenant's distribution:
//
//   p_h = (c_h + kappa * pi_h) / (N + kappa)
//
// c_h the user's engagements in hour h, N their sum, pi_h the tenant's
// normalised histogram (uniform if empty) and kappa the prior strength in
// pseudo-engagements. BestSendTime() scores every local hour start inside a
// UTC window (plus the window start itself), moves candidates out of quiet
// hours, and returns the best.
//
//   HourOfWeekHistogram user, tenant;
//   user.Add(open_time, tz);   // per open/click, in the user's zone
//   absl::StatusOr<SendTimeDecision> d =
//       BestSendTime(user, tenant, "Europe/Berlin", now, now + absl::Hours(24), {});
#ifndef TAILOR_MODELS_DECIDE_SEND_TIME_H_
#define TAILOR_MODELS_DECIDE_SEND_TIME_H_

#include <array>
#include <functional>
#include <optional>
#include <string>

#include <cctz/time_zone.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "models/decide/local_time.h"
#include "models/decide/quiet_hours.h"

namespace tailor::decide {

class HourOfWeekHistogram {
 public:
  // Adds `weight` to the local hour of week of `t` in `tz`.
  void Add(absl::Time t, const cctz::time_zone& tz, double weight = 1.0) {
    counts_[HourOfWeek(t, tz)] += weight;
  }
  void AddToHour(int hour_of_week, double weight) { counts_[hour_of_week] += weight; }
  double Count(int hour_of_week) const { return counts_[hour_of_week]; }
  double Total() const;
  const std::array<double, kHoursPerWeek>& counts() const { return counts_; }

 private:
  std::array<double, kHoursPerWeek> counts_{};
};

// p_h as in the file comment. Sums to 1.
std::array<double, kHoursPerWeek> PosteriorHourDistribution(const HourOfWeekHistogram& user,
                                                            const HourOfWeekHistogram& tenant,
                                                            double prior_strength);

struct SendTimeOptions {
  double prior_strength = 24.0;  // kappa, pseudo-engagements
  std::optional<QuietHours> quiet_hours;  // already resolved (EffectiveQuietHours)
  absl::Duration max_window = absl::Hours(24 * 31);
  // When set, candidates for which it answers false are skipped (the
  // notifier passes the frequency caps, which scheduled sends make
  // non-monotone in time). The window start is expected to be allowed.
  std::function<bool(absl::Time)> allowed;
};

struct SendTimeDecision {
  absl::Time send_at;
  int hour_of_week = 0;       // local
  double probability = 0;     // p_h of that hour
  double user_weight = 0;     // N / (N + kappa): how much is the user's own data
  bool moved_by_quiet_hours = false;
  std::string reason;
};

// The best send time in [window_start, window_end). Ties go to the earliest
// instant. Errors: InvalidArgument for an unknown zone, an empty or
// too-long window, bad quiet hours; NotFound when quiet hours (and
// `allowed`) leave no instant of the window.
absl::StatusOr<SendTimeDecision> BestSendTime(const HourOfWeekHistogram& user,
                                              const HourOfWeekHistogram& tenant,
                                              const std::string& time_zone,
                                              absl::Time window_start, absl::Time window_end,
                                              const SendTimeOptions& options);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_SEND_TIME_H_
