// Quiet hours: a daily local-time window [start, end) in which no
// notification goes out. A window may cross midnight (22:00-07:00). The
// tenant sets a default; a user's own setting replaces it.
//
//   QuietHours q{22 * 60, 7 * 60};
//   absl::StatusOr<QuietMove> m = MoveOutOfQuietHours(t, tz, q, /*not_before=*/now);
//   // m->time is t itself, or the nearest allowed edge of the window.
#ifndef TAILOR_MODELS_DECIDE_QUIET_HOURS_H_
#define TAILOR_MODELS_DECIDE_QUIET_HOURS_H_

#include <optional>

#include <cctz/time_zone.h>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tailor::decide {

struct QuietHours {
  int start_minute = 22 * 60;  // local minute of day, [0, 1440)
  int end_minute = 8 * 60;     // exclusive; start == end means no quiet hours

  // Whether a local minute of day falls in the window.
  bool Contains(int minute_of_day) const;
};

// InvalidArgument unless both minutes are in [0, 1440).
absl::Status ValidateQuietHours(const QuietHours& q);

// The user's window if set, else the tenant's, else none.
std::optional<QuietHours> EffectiveQuietHours(const std::optional<QuietHours>& tenant_default,
                                              const std::optional<QuietHours>& user_override);

bool InQuietHours(absl::Time t, const cctz::time_zone& tz, const QuietHours& q);

struct QuietMove {
  absl::Time time;
  bool moved = false;
};

// Returns `t` unchanged when it is outside quiet hours. Otherwise moves it to
// the nearer allowed edge of the window that contains it: the instant quiet
// hours end, or the last minute before they began (start - 1 min), the
// earlier edge only if it is >= `not_before` (pass "now": one cannot send in
// the past). Ties go to the end edge. On DST days the window is taken at its
// widest: a start in an overlap uses the first occurrence, an end in an
// overlap the second; an edge in a gap is the transition instant.
QuietMove MoveOutOfQuietHours(absl::Time t, const cctz::time_zone& tz, const QuietHours& q,
                              std::optional<absl::Time> not_before);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_QUIET_HOURS_H_
