#include "domain/json_fields.h"

#include <boost/json.hpp>

#include "absl/strings/escaping.h"
#include "common/strings.h"
#include "domain/validation.h"

namespace tailor::domain {

namespace json = boost::json;

JsonFields::JsonFields(const json::object& object, FieldErrors& errors, std::string prefix)
    : object_(object), errors_(errors), prefix_(std::move(prefix)) {}

std::string JsonFields::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : StrCat(prefix_, ".", key);
}

void JsonFields::Error(std::string_view key, std::string message) {
  errors_.Add(Path(key), std::move(message));
}

const json::value* JsonFields::Find(std::string_view key) const {
  const json::value* v = object_.if_contains(key);
  if (v != nullptr && v->is_null()) return nullptr;
  return v;
}

std::optional<std::string> JsonFields::String(std::string_view key, StringRule rule) {
  const json::value* v = Find(key);
  if (v == nullptr) {
    if (rule.required) Error(key, "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    Error(key, "must be a string");
    return std::nullopt;
  }
  std::string_view s = v->as_string();
  if (s.size() > rule.max_bytes) {
    Error(key, StrCat("must be at most ", rule.max_bytes, " bytes"));
    return std::nullopt;
  }
  if (s.empty() && (!rule.allow_empty || rule.required)) {
    Error(key, "must not be empty");
    return std::nullopt;
  }
  if (rule.single_line && HasControlCharacters(s)) {
    Error(key, "must not contain control characters");
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<double> JsonFields::Number(std::string_view key, bool required) {
  const json::value* v = Find(key);
  if (v == nullptr) {
    if (required) Error(key, "is required");
    return std::nullopt;
  }
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  Error(key, "must be a number");
  return std::nullopt;
}

std::optional<bool> JsonFields::Bool(std::string_view key) {
  const json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Error(key, "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

const json::object* JsonFields::Object(std::string_view key, bool required) {
  const json::value* v = Find(key);
  if (v == nullptr) {
    if (required) Error(key, "is required");
    return nullptr;
  }
  if (!v->is_object()) {
    Error(key, "must be an object");
    return nullptr;
  }
  return &v->get_object();
}

namespace {

// Records an error for each bad key under `path`; false when one was found.
bool CheckKeys(const json::object& object, const std::string& path, JsonFields& fields, int depth) {
  bool ok = true;
  for (const auto& [k, v] : object) {
    std::string_view name(k.data(), k.size());
    std::string at = StrCat(path, ".", name.substr(0, 64));
    if (name.empty() || name.size() > 256) {
      fields.Error(at, "attribute names must be 1 to 256 bytes");
      ok = false;
    } else if (HasControlCharacters(name)) {
      std::string_view shown = name.substr(0, 64);
      fields.Error(
          StrCat(path, ".", absl::CHexEscape(absl::string_view(shown.data(), shown.size()))),
          "attribute names must not contain control characters");
      ok = false;
    }
    if (depth < 64 && v.is_object()) ok = CheckKeys(v.get_object(), at, fields, depth + 1) && ok;
    if (depth < 64 && v.is_array()) {
      for (const json::value& e : v.get_array()) {
        if (e.is_object()) ok = CheckKeys(e.get_object(), at, fields, depth + 1) && ok;
      }
    }
  }
  return ok;
}

}  // namespace

const json::object* JsonFields::Attributes(std::string_view key) {
  const json::object* object = Object(key);
  if (object == nullptr) return nullptr;
  return CheckKeys(*object, std::string(key), *this, 0) ? object : nullptr;
}

std::optional<std::vector<std::string>> JsonFields::StringArray(std::string_view key,
                                                                size_t max_items,
                                                                size_t max_bytes) {
  const json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    Error(key, "must be an array of strings");
    return std::nullopt;
  }
  const json::array& arr = v->get_array();
  if (arr.size() > max_items) {
    Error(key, StrCat("must have at most ", max_items, " entries"));
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(arr.size());
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string path = StrCat(key, "[", i, "]");
    if (!arr[i].is_string()) {
      Error(path, "must be a string");
      return std::nullopt;
    }
    std::string_view s = arr[i].get_string();
    if (s.empty() || s.size() > max_bytes) {
      Error(path, StrCat("must be 1 to ", max_bytes, " bytes"));
      return std::nullopt;
    }
    if (HasControlCharacters(s)) {
      Error(path, "must not contain control characters");
      return std::nullopt;
    }
    out.emplace_back(s);
  }
  return out;
}

std::optional<absl::Time> JsonFields::Timestamp(std::string_view key, absl::Time min,
                                                absl::Time max, bool required) {
  const json::value* v = Find(key);
  if (v == nullptr) {
    if (required) Error(key, "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    Error(key, "must be an RFC 3339 timestamp string such as 2024-05-01T12:00:00Z");
    return std::nullopt;
  }
  absl::StatusOr<absl::Time> t = ParseRfc3339(v->get_string());
  if (!t.ok()) {
    Error(key, std::string(t.status().message()));
    return std::nullopt;
  }
  if (*t < min || *t > max) {
    Error(key, StrCat("is out of range: must be between ", FormatRfc3339(min), " and ",
                      FormatRfc3339(max)));
    return std::nullopt;
  }
  return *t;
}

void JsonFields::RejectUnknown(std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : object_) {
    bool known = false;
    for (std::string_view a : allowed) {
      if (kv.key() == a) {
        known = true;
        break;
      }
    }
    if (!known) {
      std::string_view key = kv.key();
      Error(key.substr(0, 128), "is not a known field");
    }
  }
}

}  // namespace tailor::domain
