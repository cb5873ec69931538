#include "models/decide/send_time.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include <cctz/civil_time.h>
#include <fmt/format.h>

#include "common/strings.h"

namespace tailor::decide {

double HourOfWeekHistogram::Total() const {
  return std::accumulate(counts_.begin(), counts_.end(), 0.0);
}

std::array<double, kHoursPerWeek> PosteriorHourDistribution(const HourOfWeekHistogram& user,
                                                            const HourOfWeekHistogram& tenant,
                                                            double prior_strength) {
  std::array<double, kHoursPerWeek> p{};
  const double tenant_total = tenant.Total();
  const double n = user.Total();
  const double kappa = std::max(prior_strength, 0.0);
  for (int h = 0; h < kHoursPerWeek; ++h) {
    const double pi = tenant_total > 0 ? tenant.Count(h) / tenant_total : 1.0 / kHoursPerWeek;
    p[h] = n + kappa > 0 ? (user.Count(h) + kappa * pi) / (n + kappa) : 1.0 / kHoursPerWeek;
  }
  return p;
}

absl::StatusOr<SendTimeDecision> BestSendTime(const HourOfWeekHistogram& user,
                                              const HourOfWeekHistogram& tenant,
                                              const std::string& time_zone,
                                              absl::Time window_start, absl::Time window_end,
                                              const SendTimeOptions& options) {
  absl::StatusOr<cctz::time_zone> tz = LoadZone(time_zone);
  if (!tz.ok()) return tz.status();
  if (window_end <= window_start) return absl::InvalidArgumentError("send window is empty");
  if (window_end - window_start > options.max_window) {
    return absl::InvalidArgumentError("send window is longer than the allowed maximum");
  }
  if (options.quiet_hours) {
    absl::Status st = ValidateQuietHours(*options.quiet_hours);
    if (!st.ok()) return st;
  }
  // Candidates: the window start and every local hour start after it. A
  // local hour skipped by DST does not exist; a repeated one yields both
  // instants.
  std::vector<absl::Time> candidates{window_start};
  cctz::civil_hour hour(ToLocal(window_start, *tz));
  for (++hour;; ++hour) {
    const cctz::time_zone::civil_lookup cl = tz->lookup(cctz::civil_second(hour));
    if (cl.kind == cctz::time_zone::civil_lookup::SKIPPED) continue;
    const absl::Time first = FromLocal(cctz::civil_second(hour), *tz, Overlap::kEarliest);
    if (first >= window_end) break;
    if (first > window_start) candidates.push_back(first);
    if (cl.kind == cctz::time_zone::civil_lookup::REPEATED) {
      const absl::Time second = FromLocal(cctz::civil_second(hour), *tz, Overlap::kLatest);
      if (second > window_start && second < window_end) candidates.push_back(second);
    }
  }
  const auto p = PosteriorHourDistribution(user, tenant, options.prior_strength);
  std::optional<SendTimeDecision> best;
  bool rejected = false;
  for (absl::Time c : candidates) {
    bool moved = false;
    if (options.quiet_hours) {
      QuietMove m = MoveOutOfQuietHours(c, *tz, *options.quiet_hours, window_start);
      if (m.moved && (m.time < window_start || m.time >= window_end)) continue;
      c = m.time;
      moved = m.moved;
    }
    if (options.allowed && !options.allowed(c)) {
      rejected = true;
      continue;
    }
    const int h = HourOfWeek(c, *tz);
    if (!best || p[h] > best->probability || (p[h] == best->probability && c < best->send_at)) {
      best = SendTimeDecision{c, h, p[h], 0.0, moved, ""};
    }
  }
  if (!best) {
    return absl::NotFoundError(rejected ? "quiet hours and frequency caps leave no send time in the window"
                                        : "quiet hours cover the whole send window");
  }
  const double n = user.Total();
  best->user_weight = n / (n + std::max(options.prior_strength, 0.0) + 1e-12);
  const cctz::civil_second local = ToLocal(best->send_at, *tz);
  best->reason = fmt::format(
      "local {:04}-{:02}-{:02} {:02}:{:02} ({}); engagement share {:.3f} of the week, {:.0f}% "
      "from the user's own {} events{}",
      local.year(), local.month(), local.day(), local.hour(), local.minute(), time_zone,
      best->probability, 100.0 * best->user_weight, n,
      best->moved_by_quiet_hours ? "; moved out of quiet hours" : "");
  return *best;
}

}  // namespace tailor::decide
