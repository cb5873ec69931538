// UTC instant <-> user-local civil time with cctz, with explicit rules for
// DST gaps (a local time that does not exist) and overlaps (one that exists
// twice). Everything local in the decision models goes through here.
//
//   absl::StatusOr<cctz::time_zone> tz = LoadZone("Europe/Berlin");
//   cctz::civil_second local = ToLocal(absl::Now(), *tz);
//   absl::Time t = FromLocal(cctz::civil_second(2026, 3, 29, 2, 30, 0), *tz, Overlap::kEarliest);
#ifndef TAILOR_MODELS_DECIDE_LOCAL_TIME_H_
#define TAILOR_MODELS_DECIDE_LOCAL_TIME_H_

#include <string_view>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tailor::decide {

// InvalidArgument for a name the zoneinfo database does not know. "UTC" always loads.
absl::StatusOr<cctz::time_zone> LoadZone(std::string_view name);

cctz::civil_second ToLocal(absl::Time t, const cctz::time_zone& tz);

enum class Overlap { kEarliest, kLatest };

// The instant of a local civil time. A time inside a DST gap maps to the
// transition instant (the first existing local time after the gap); a time
// inside an overlap maps to its earlier or later occurrence per `overlap`.
absl::Time FromLocal(const cctz::civil_second& local, const cctz::time_zone& tz, Overlap overlap);

// Local hour of the week, Monday 00:00-00:59 = 0 ... Sunday 23:00 = 167.
int HourOfWeek(absl::Time t, const cctz::time_zone& tz);

inline constexpr int kHoursPerWeek = 168;

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_LOCAL_TIME_H_
