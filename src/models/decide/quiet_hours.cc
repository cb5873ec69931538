#include "models/decide/quiet_hours.h"

#include <cctz/civil_time.h>

#include "common/strings.h"
#include "models/decide/local_time.h"

namespace tailor::decide {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

cctz::civil_second At(const cctz::civil_day& day, int minute) {
  return cctz::civil_second(day.year(), day.month(), day.day(), minute / 60, minute % 60, 0);
}

}  // namespace

bool QuietHours::Contains(int m) const {
  if (start_minute == end_minute) return false;
  if (start_minute < end_minute) return m >= start_minute && m < end_minute;
  return m >= start_minute || m < end_minute;
}

absl::Status ValidateQuietHours(const QuietHours& q) {
  if (q.start_minute < 0 || q.start_minute >= kMinutesPerDay || q.end_minute < 0 ||
      q.end_minute >= kMinutesPerDay) {
    return absl::InvalidArgumentError(StrCat("quiet hours minutes must be in [0, 1440), got ",
                                             q.start_minute, "-", q.end_minute));
  }
  return absl::OkStatus();
}

std::optional<QuietHours> EffectiveQuietHours(const std::optional<QuietHours>& tenant_default,
                                              const std::optional<QuietHours>& user_override) {
  return user_override ? user_override : tenant_default;
}

bool InQuietHours(absl::Time t, const cctz::time_zone& tz, const QuietHours& q) {
  const cctz::civil_second cs = ToLocal(t, tz);
  return q.Contains(cs.hour() * 60 + cs.minute());
}

QuietMove MoveOutOfQuietHours(absl::Time t, const cctz::time_zone& tz, const QuietHours& q,
                              std::optional<absl::Time> not_before) {
  const cctz::civil_second cs = ToLocal(t, tz);
  const int m = cs.hour() * 60 + cs.minute();
  if (!q.Contains(m)) return QuietMove{t, false};
  const cctz::civil_day today(cs);
  cctz::civil_day start_day = today;
  cctz::civil_day end_day = today;
  if (q.start_minute > q.end_minute) {  // crosses midnight
    if (m >= q.start_minute) {
      end_day = today + 1;
    } else {
      start_day = today - 1;
    }
  }
  const absl::Time end = FromLocal(At(end_day, q.end_minute), tz, Overlap::kLatest);
  const absl::Time before =
      FromLocal(At(start_day, q.start_minute), tz, Overlap::kEarliest) - absl::Minutes(1);
  const bool before_ok = before < t && (!not_before || before >= *not_before);
  if (before_ok && t - before < end - t) return QuietMove{before, true};
  return QuietMove{end, true};
}

}  // namespace tailor::decide
