#include "domain/user.h"

#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "common/field_errors.h"
#include "common/strings.h"
#include "domain/json_fields.h"
#include "domain/validation.h"

namespace tailor::domain {

namespace json = boost::json;

bool IsChannel(std::string_view name) {
  for (const char* c : kChannels) {
    if (name == c) return true;
  }
  return false;
}

namespace {

bool LooksLikeEmail(std::string_view s) {
  size_t at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string_view::npos && s.find(' ') == std::string_view::npos;
}

bool IsE164(std::string_view s) {
  if (s.size() < 8 || s.size() > 16 || s[0] != '+') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!absl::ascii_isdigit(s[i])) return false;
  }
  return true;
}

void ParseConsent(const json::object& consent, FieldErrors& errors, User& user) {
  for (const auto& [channel, purposes] : consent) {
    std::string path = StrCat("consent.", std::string_view(channel).substr(0, 64));
    if (!IsChannel(channel)) {
      errors.Add(path, "must be one of email, sms, push, in_app");
      continue;
    }
    if (!purposes.is_object()) {
      errors.Add(path, "must be an object of purpose -> true/false, e.g. {\"marketing\": true}");
      continue;
    }
    for (const auto& [purpose, granted] : purposes.get_object()) {
      std::string ppath = StrCat(path, ".", std::string_view(purpose).substr(0, 64));
      if (!ValidateId(purpose).ok() || purpose.size() > 64) {
        errors.Add(ppath, "purpose must be 1 to 64 printable bytes");
      } else if (!granted.is_bool()) {
        errors.Add(ppath, "must be true or false");
      } else {
        user.consent[std::string(channel)][std::string(purpose)] = granted.get_bool();
      }
    }
  }
}

}  // namespace

absl::StatusOr<User> ParseUser(const json::value& body, std::string_view id) {
  FieldErrors errors;
  User user;
  if (absl::Status s = ValidateId(id); !s.ok()) {
    errors.Add("user_id", std::string(s.message()));
  }
  user.id = std::string(id);
  if (!body.is_object()) {
    errors.Add("", "body must be a JSON object");
    return errors.ToStatus("request body must be a JSON object");
  }
  JsonFields f(body.get_object(), errors);
  f.RejectUnknown({"id", "user_id", "attributes", "timezone", "locale", "email", "phone",
                   "push_tokens", "consent", "created_at", "updated_at"});
  if (const json::object* attrs = f.Attributes("attributes")) user.attributes = *attrs;
  if (auto tz = f.String("timezone", {.max_bytes = 64})) {
    if (absl::Status s = ValidateTimeZone(*tz); !s.ok()) {
      f.Error("timezone", std::string(s.message()));
    } else {
      user.timezone = *tz;
    }
  }
  if (auto locale = f.String("locale", {.max_bytes = 35})) {
    if (absl::Status s = ValidateLocale(*locale); !s.ok()) {
      f.Error("locale", std::string(s.message()));
    } else {
      user.locale = *locale;
    }
  }
  if (auto email = f.String("email", {.max_bytes = 254})) {
    if (!LooksLikeEmail(*email)) {
      f.Error("email", "must be an e-mail address");
    } else {
      user.email = *email;
    }
  }
  if (auto phone = f.String("phone", {.max_bytes = 16})) {
    if (!IsE164(*phone)) {
      f.Error("phone", "must be an E.164 phone number such as +33612345678");
    } else {
      user.phone = *phone;
    }
  }
  if (auto tokens = f.StringArray("push_tokens", 20, 4096)) user.push_tokens = std::move(*tokens);
  if (const json::object* consent = f.Object("consent")) ParseConsent(*consent, errors, user);
  // Attribute documents are capped so one user cannot bloat every read.
  if (json::serialize(user.attributes).size() > 64 * 1024) {
    f.Error("attributes", "must serialize to at most 64 KiB");
  }
  if (!errors.empty()) return errors.ToStatus("");
  return user;
}

json::object UserToJson(const User& user) {
  json::object out;
  out["user_id"] = user.id;
  out["attributes"] = user.attributes;
  if (!user.timezone.empty()) out["timezone"] = user.timezone;
  if (!user.locale.empty()) out["locale"] = user.locale;
  if (!user.email.empty()) out["email"] = user.email;
  if (!user.phone.empty()) out["phone"] = user.phone;
  if (!user.push_tokens.empty()) {
    json::array tokens;
    for (const auto& t : user.push_tokens) tokens.push_back(json::value(t));
    out["push_tokens"] = std::move(tokens);
  }
  json::object consent;
  for (const auto& [channel, purposes] : user.consent) {
    json::object p;
    for (const auto& [purpose, granted] : purposes) p[purpose] = granted;
    consent[channel] = std::move(p);
  }
  out["consent"] = std::move(consent);
  if (user.created_at != absl::InfinitePast()) out["created_at"] = FormatRfc3339(user.created_at);
  if (user.updated_at != absl::InfinitePast()) out["updated_at"] = FormatRfc3339(user.updated_at);
  return out;
}

}  // namespace tailor::domain
