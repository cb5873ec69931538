// The body of POST /v1/notifications/decide, validated.
//
//   {"user_id": "u1",
//    "template_id": "welcome"            (or "template": {inline template document}),
//    "channels": ["push", "email"],      default: every channel
//    "window": {"start": "...Z", "end": "...Z"},   default: now .. now + 24 h
//    "category": "marketing" | "transactional",    default marketing
//    "segment": "new_users",             bandit segment, default "all"
//    "item_id": "i9",                    exposed to the template as {{item.*}}
//    "context": {...},                   extra template variables, top level
//    "dry_run": false}
#ifndef TAILOR_NOTIFY_DECIDE_REQUEST_H_
#define TAILOR_NOTIFY_DECIDE_REQUEST_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "models/decide/channel.h"
#include "models/decide/frequency_cap.h"
#include "personalize/notification_template.h"

namespace tailor::notify {

inline constexpr absl::Duration kMaxDecideWindow = absl::Hours(24 * 31);

struct DecideRequest {
  std::string user_id;
  std::string template_id;  // empty when `inline_template` is set
  std::shared_ptr<const personalize::NotificationTemplate> inline_template;
  std::vector<decide::Channel> channels;  // never empty after parsing
  std::optional<absl::Time> window_start;
  std::optional<absl::Time> window_end;
  decide::MessageCategory category = decide::MessageCategory::kMarketing;
  std::string segment = "all";
  std::string item_id;
  boost::json::object context;
  bool dry_run = false;
};

// InvalidArgument with field errors naming each bad field.
absl::StatusOr<DecideRequest> ParseDecideRequest(const boost::json::value& body);

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_DECIDE_REQUEST_H_
