// A tenant's notification rules: default quiet hours, frequency caps, the
// quality threshold and the safe default used below it, the time zone for
// users without one and the send-time prior strength. Stored as the record
// ("settings", "notifications"); GET/PUT /v1/notifications/settings.
//
//   {"quiet_hours": {"start": "22:00", "end": "08:00"},
//    "frequency_caps": [{"channel": "push", "window_hours": 24, "max": 3}, ...],
//    "count_transactional": false,
//    "quality_threshold": 0.3,
//    "exploration": {"share": 0.1, "new_below_sends": 20},
//    "fallback": {"template_id": "safe", "variant_id": "default", "channel": "email"},
//    "default_time_zone": "UTC",
//    "send_time_prior_strength": 24}
//
// Every field is optional; a missing one keeps its default (below).
#ifndef TAILOR_NOTIFY_NOTIFY_SETTINGS_H_
#define TAILOR_NOTIFY_NOTIFY_SETTINGS_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "models/decide/channel.h"
#include "models/decide/frequency_cap.h"
#include "models/decide/quality_gate.h"
#include "models/decide/quiet_hours.h"

namespace tailor::notify {

struct FallbackSpec {
  std::string template_id;
  std::string variant_id;
  decide::Channel channel = decide::Channel::kEmail;
};

struct NotifySettings {
  std::optional<decide::QuietHours> quiet_hours = decide::QuietHours{22 * 60, 8 * 60};
  decide::CapPolicy caps = decide::DefaultCapPolicy();
  double quality_threshold = 0.0;  // 0: never falls back for quality
  // Gated decisions of a new variant sent anyway (decide/quality_gate.h).
  decide::ExplorationPolicy exploration;
  std::optional<FallbackSpec> fallback;
  std::string default_time_zone = "UTC";
  double send_time_prior_strength = 24.0;
};

// InvalidArgument with field errors for a malformed document.
absl::StatusOr<NotifySettings> ParseNotifySettings(const boost::json::value& doc);
boost::json::object NotifySettingsToJson(const NotifySettings& settings);

// "HH:MM" <-> minute of day.
absl::StatusOr<int> ParseMinuteOfDay(const boost::json::value& v);
std::string FormatMinuteOfDay(int minute);

// {"start": "22:00", "end": "07:00"} -> QuietHours; the field names errors.
absl::StatusOr<decide::QuietHours> ParseQuietHours(const boost::json::value& v,
                                                   const std::string& field);

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_NOTIFY_SETTINGS_H_
