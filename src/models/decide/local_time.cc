#include "models/decide/local_time.h"

#include <chrono>
#include <string>

#include "common/strings.h"

namespace tailor::decide {
namespace {

using Seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

Seconds ToChronoSeconds(absl::Time t) {
  return Seconds(std::chrono::seconds(absl::ToUnixSeconds(t)));
}

absl::Time FromChrono(const Seconds& tp) {
  return absl::FromUnixSeconds(tp.time_since_epoch().count());
}

}  // namespace

absl::StatusOr<cctz::time_zone> LoadZone(std::string_view name) {
  cctz::time_zone tz;
  if (!cctz::load_time_zone(std::string(name), &tz)) {
    return absl::InvalidArgumentError(StrCat("unknown time zone '", name, "'"));
  }
  return tz;
}

cctz::civil_second ToLocal(absl::Time t, const cctz::time_zone& tz) {
  return cctz::convert(ToChronoSeconds(t), tz);
}

absl::Time FromLocal(const cctz::civil_second& local, const cctz::time_zone& tz,
                     Overlap overlap) {
  const cctz::time_zone::civil_lookup cl = tz.lookup(local);
  switch (cl.kind) {
    case cctz::time_zone::civil_lookup::UNIQUE:
      return FromChrono(cl.pre);
    case cctz::time_zone::civil_lookup::SKIPPED:
      return FromChrono(cl.trans);
    case cctz::time_zone::civil_lookup::REPEATED:
      return FromChrono(overlap == Overlap::kEarliest ? cl.pre : cl.post);
  }
  return FromChrono(cl.pre);
}

int HourOfWeek(absl::Time t, const cctz::time_zone& tz) {
  const cctz::civil_second cs = ToLocal(t, tz);
  int day = 0;  // Monday = 0
  switch (cctz::get_weekday(cctz::civil_day(cs))) {
    case cctz::weekday::monday: day = 0; break;
    case cctz::weekday::tuesday: day = 1; break;
    case cctz::weekday::wednesday: day = 2; break;
    case cctz::weekday::thursday: day = 3; break;
    case cctz::weekday::friday: day = 4; break;
    case cctz::weekday::saturday: day = 5; break;
    case cctz::weekday::sunday: day = 6; break;
  }
  return day * 24 + cs.hour();
}

}  // namespace tailor::decide
