// Event: one thing a user did (viewed, clicked, bought, rated, opened a
// notification...). Events are append-only; `event_id` makes retries
// idempotent within a tenant.
//
//   absl::StatusOr<Event> e = ParseEvent(json, clock.Now());
#ifndef TAILOR_DOMAIN_EVENT_H_
#define TAILOR_DOMAIN_EVENT_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tailor::domain {

// Built-in event types. Any other lowercase name matching [a-z0-9_.:-]{1,64}
// is accepted as a custom type.
inline constexpr const char* kEventTypes[] = {
    "view",    "click",   "like",
    "dislike", "rate",    "purchase",
    "add_to_cart", "share", "dismiss",
    "notification_sent", "notification_delivered", "notification_opened",
    "notification_clicked", "unsubscribe", "feedback"};

bool IsBuiltinEventType(std::string_view type);
// Built-in types that are about an item and so require `item_id`.
bool EventTypeRequiresItem(std::string_view type);

// Largest |value| an event may carry (ratings, amounts): far above any real
// amount, far below where sums of them lose meaning.
inline constexpr double kMaxEventValue = 1e12;

// How far in the future an event timestamp may lie (client clock skew).
inline constexpr absl::Duration kMaxEventClockSkew = absl::Hours(24);

struct Event {
  std::string event_id;  // empty = none given
  std::string user_id;
  std::string item_id;  // empty = none
  std::string type;
  std::optional<double> value;
  std::string text;
  absl::Time timestamp;
  boost::json::object context;  // channel, device, decision_id, free keys
  int64_t seq = 0;              // store-assigned order; 0 until stored
};

// Validates one event object. A missing `timestamp` becomes `now`; timestamps
// before 1970 or more than kMaxEventClockSkew after `now` are rejected.
absl::StatusOr<Event> ParseEvent(const boost::json::value& body, absl::Time now);

boost::json::object EventToJson(const Event& event);

}  // namespace tailor::domain

#endif  // TAILOR_DOMAIN_EVENT_H_
