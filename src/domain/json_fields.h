// Typed access to the fields of a JSON object that records every problem as a
// FieldError naming the field, so one request reports all its mistakes at once.
//
//   FieldErrors errors;
//   JsonFields f(body.as_object(), errors);
//   std::optional<std::string> title = f.String("title", {.max_bytes = 1024});
//   f.RejectUnknown({"title", "text"});
//   RETURN_IF_ERROR(errors.ToStatus("invalid item"));
#ifndef TAILOR_DOMAIN_JSON_FIELDS_H_
#define TAILOR_DOMAIN_JSON_FIELDS_H_

#include <boost/json/fwd.hpp>
#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "common/field_errors.h"

namespace tailor::domain {

struct StringRule {
  bool required = false;
  size_t max_bytes = 4096;
  bool allow_empty = true;
  // A one-line value (title, type, token): control characters refused.
  bool single_line = false;
};

class JsonFields {
 public:
  // `prefix` is prepended to field names in errors ("events[3]" -> "events[3].type").
  JsonFields(const boost::json::object& object, FieldErrors& errors, std::string prefix = "");

  // Each returns nullopt (and records an error unless the field is simply
  // absent and optional) when the field is missing, null or of the wrong type.
  std::optional<std::string> String(std::string_view key, StringRule rule = {});
  std::optional<double> Number(std::string_view key, bool required = false);
  std::optional<bool> Bool(std::string_view key);
  const boost::json::object* Object(std::string_view key, bool required = false);
  // An array of strings, each 1..`max_bytes` without control characters,
  // at most `max_items` long.
  std::optional<std::vector<std::string>> StringArray(std::string_view key, size_t max_items,
                                                      size_t max_bytes);
  // An RFC 3339 timestamp within [min, max].
  std::optional<absl::Time> Timestamp(std::string_view key, absl::Time min, absl::Time max,
                                      bool required = false);
  // The object under `key` (as Object()), whose keys at every depth must be
  // 1..256 bytes without control characters (an error names each bad one).
  const boost::json::object* Attributes(std::string_view key);
  // Records an error for each key not in `allowed`.
  void RejectUnknown(std::initializer_list<std::string_view> allowed);

  void Error(std::string_view key, std::string message);
  std::string Path(std::string_view key) const;

 private:
  const boost::json::value* Find(std::string_view key) const;

  const boost::json::object& object_;
  FieldErrors& errors_;
  std::string prefix_;
};

}  // namespace tailor::domain

#endif  // TAILOR_DOMAIN_JSON_FIELDS_H_
