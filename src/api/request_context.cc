#include "api/request_context.h"

#include <boost/json.hpp>
#include <charconv>

#include "common/field_errors.h"
#include "common/json_text.h"
#include "common/strict_json.h"
#include "common/strings.h"

namespace tailor::api {

namespace json = boost::json;

absl::StatusOr<json::value> RequestContext::JsonBody() const {
  const std::string& body = request.body;
  if (body.empty()) return InvalidField("body", "request body is required (a JSON document)");
  absl::StatusOr<json::value> v = ParseStrictJson(body, {.max_depth = 64});
  if (!v.ok()) return InvalidField("body", std::string(v.status().message()));
  return v;
}

absl::StatusOr<int> RequestContext::QueryInt(const std::string& name, int fallback, int min,
                                             int max) const {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return fallback;
  int value = 0;
  const std::string& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value < min || value > max) {
    return InvalidField(name, StrCat("must be an integer from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<double> RequestContext::QueryDouble(const std::string& name, double fallback,
                                                   double min, double max) const {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return fallback;
  double value = 0;
  const std::string& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !(value >= min && value <= max)) {
    return InvalidField(name, StrCat("must be a number from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<bool> RequestContext::QueryBool(const std::string& name, bool fallback) const {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return fallback;
  if (it->second == "true" || it->second == "1") return true;
  if (it->second == "false" || it->second == "0") return false;
  return InvalidField(name, "must be true or false");
}

std::string RequestContext::QueryString(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

HttpResponse JsonResponse(int status, const json::value& body) {
  HttpResponse res;
  res.status = status;
  res.body = JsonText(body);
  return res;
}

}  // namespace tailor::api
