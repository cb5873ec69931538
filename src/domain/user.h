// User: a tenant's end user as Tailor knows it — free attributes, where and
// how to reach them, and what they agreed to receive.
//
//   absl::StatusOr<User> user = ParseUser(body, "u42");   // from PUT /v1/users/u42
//   boost::json::object out = UserToJson(*user);
#ifndef TAILOR_DOMAIN_USER_H_
#define TAILOR_DOMAIN_USER_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tailor::domain {

// Channels Tailor can notify on; consent and contact data are per channel.
inline constexpr const char* kChannels[] = {"email", "sms", "push", "in_app"};
bool IsChannel(std::string_view name);

struct User {
  std::string id;
  boost::json::object attributes;
  std::string timezone;  // IANA name; empty = unknown (tenant default applies)
  std::string locale;    // BCP 47; empty = unknown
  std::string email;
  std::string phone;  // E.164
  std::vector<std::string> push_tokens;
  // consent[channel][purpose] = granted, e.g. consent["email"]["marketing"].
  std::map<std::string, std::map<std::string, bool>> consent;
  // Set by the server, not the client.
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
};

// Validates a PUT body (a JSON object) into a User with id `id`. On failure
// returns InvalidArgument carrying field errors (see common/field_errors.h).
// Server-managed fields (`id`, `created_at`, `updated_at`) are accepted and
// ignored so a GET answer can be PUT back.
absl::StatusOr<User> ParseUser(const boost::json::value& body, std::string_view id);

boost::json::object UserToJson(const User& user);

}  // namespace tailor::domain

#endif  // TAILOR_DOMAIN_USER_H_
