#include "domain/event.h"

#include <boost/json.hpp>
#include <cmath>

#include "absl/strings/ascii.h"
#include "common/field_errors.h"
#include "domain/json_fields.h"
#include "domain/user.h"
#include "domain/validation.h"

namespace tailor::domain {

namespace json = boost::json;

bool IsBuiltinEventType(std::string_view type) {
  for (const char* t : kEventTypes) {
    if (type == t) return true;
  }
  return false;
}

bool EventTypeRequiresItem(std::string_view type) {
  static constexpr std::string_view kItemTypes[] = {"view",     "click",       "like",
                                                    "dislike",  "rate",        "purchase",
                                                    "add_to_cart", "share",    "dismiss"};
  for (std::string_view t : kItemTypes) {
    if (type == t) return true;
  }
  return false;
}

namespace {

bool IsCustomTypeName(std::string_view type) {
  if (type.empty() || type.size() > 64) return false;
  for (char c : type) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '.' || c == ':' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

void ValidateIdField(JsonFields& f, std::string_view key, const std::optional<std::string>& id,
                     std::string& out) {
  if (!id) return;
  if (absl::Status s = ValidateId(*id); !s.ok()) {
    f.Error(key, std::string(s.message()));
  } else {
    out = *id;
  }
}

void ParseContext(JsonFields& f, const json::object& context, Event& event) {
  if (json::serialize(context).size() > 8 * 1024) {
    f.Error("context", "must serialize to at most 8 KiB");
    return;
  }
  FieldErrors inner;
  // Known context keys are checked; other keys pass through untouched.
  JsonFields c(context, inner);
  if (auto channel = c.String("channel", {.max_bytes = 16})) {
    if (!IsChannel(*channel)) c.Error("channel", "must be one of email, sms, push, in_app");
  }
  if (auto decision = c.String("decision_id", {.max_bytes = 1024})) {
    if (absl::Status s = ValidateId(*decision); !s.ok()) {
      c.Error("decision_id", std::string(s.message()));
    }
  }
  c.String("device", {.max_bytes = 128});
  for (const FieldError& e : inner.errors()) f.Error("context." + e.field, e.message);
  if (inner.empty()) event.context = context;
}

}  // namespace

absl::StatusOr<Event> ParseEvent(const json::value& body, absl::Time now) {
  FieldErrors errors;
  Event event;
  if (!body.is_object()) {
    errors.Add("", "event must be a JSON object");
    return errors.ToStatus("event must be a JSON object");
  }
  JsonFields f(body.get_object(), errors);
  f.RejectUnknown({"event_id", "user_id", "item_id", "type", "value", "text", "timestamp",
                   "context"});
  ValidateIdField(f, "event_id", f.String("event_id", {.max_bytes = 1024}), event.event_id);
  ValidateIdField(f, "user_id", f.String("user_id", {.required = true, .max_bytes = 1024}),
                  event.user_id);
  ValidateIdField(f, "item_id", f.String("item_id", {.max_bytes = 1024}), event.item_id);
  if (auto type = f.String("type", {.required = true, .max_bytes = 64})) {
    if (!IsBuiltinEventType(*type) && !IsCustomTypeName(*type)) {
      f.Error("type", "must be a built-in type or a custom name matching [a-z0-9_.:-]{1,64}");
    } else {
      event.type = *type;
      if (EventTypeRequiresItem(*type) && event.item_id.empty() &&
          !body.get_object().contains("item_id")) {
        f.Error("item_id", "is required for events of type " + *type);
      }
    }
  }
  event.value = f.Number("value", event.type == "rate");
  if (event.value && !(std::abs(*event.value) <= kMaxEventValue)) {
    f.Error("value", "must be a finite number from -1e12 to 1e12");
    event.value.reset();
  }
  if (auto text = f.String("text", {.max_bytes = 16 * 1024})) {
    if (!IsValidUtf8(*text)) {
      f.Error("text", "must be valid UTF-8");
    } else {
      event.text = *text;
    }
  }
  event.timestamp = now;
  if (auto ts = f.Timestamp("timestamp", absl::UnixEpoch(), now + kMaxEventClockSkew)) {
    event.timestamp = *ts;
  }
  if (const json::object* context = f.Object("context")) ParseContext(f, *context, event);
  if (!errors.empty()) return errors.ToStatus("");
  return event;
}

json::object EventToJson(const Event& event) {
  json::object out;
  if (!event.event_id.empty()) out["event_id"] = event.event_id;
  out["user_id"] = event.user_id;
  if (!event.item_id.empty()) out["item_id"] = event.item_id;
  out["type"] = event.type;
  if (event.value) out["value"] = *event.value;
  if (!event.text.empty()) out["text"] = event.text;
  out["timestamp"] = FormatRfc3339(event.timestamp);
  if (!event.context.empty()) out["context"] = event.context;
  return out;
}

}  // namespace tailor::domain
