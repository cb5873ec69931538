#include "common/field_errors.h"

#include <boost/json.hpp>

#include "absl/strings/cord.h"
#include "common/strings.h"

namespace tailor {
namespace {
constexpr char kPayloadUrl[] = "type.tailor.dev/field-errors";
// At most this many errors travel with one status; a hostile batch of 10,000
// bad events would otherwise produce a huge answer.
constexpr size_t kMaxErrors = 100;
}  // namespace

void FieldErrors::Add(std::string field, std::string message) {
  if (errors_.size() < kMaxErrors) errors_.push_back({std::move(field), std::move(message)});
}

void FieldErrors::AddAllWithPrefix(std::string_view prefix, const absl::Status& status) {
  std::vector<FieldError> inner = FieldErrorsOf(status);
  if (inner.empty()) {
    Add(std::string(prefix), std::string(status.message()));
    return;
  }
  for (FieldError& e : inner) {
    std::string field = e.field.empty() ? std::string(prefix)
                        : e.field[0] == '['
                            ? StrCat(prefix, e.field)
                            : StrCat(prefix, prefix.empty() ? "" : ".", e.field);
    Add(std::move(field), std::move(e.message));
  }
}

absl::Status FieldErrors::ToStatus(std::string_view message) const {
  if (errors_.empty()) return absl::OkStatus();
  boost::json::array arr;
  for (const FieldError& e : errors_) {
    arr.push_back(boost::json::object{{"field", e.field}, {"message", e.message}});
  }
  std::string text = message.empty() ? errors_.front().field + ": " + errors_.front().message
                                      : std::string(message);
  absl::Status status = absl::InvalidArgumentError(text);
  status.SetPayload(kPayloadUrl, absl::Cord(boost::json::serialize(arr)));
  return status;
}

absl::Status InvalidField(std::string field, std::string message) {
  FieldErrors errors;
  std::string text = StrCat(field, ": ", message);
  errors.Add(std::move(field), std::move(message));
  return errors.ToStatus(text);
}

std::vector<FieldError> FieldErrorsOf(const absl::Status& status) {
  std::vector<FieldError> out;
  absl::optional<absl::Cord> payload = status.GetPayload(kPayloadUrl);
  if (!payload) return out;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(std::string(*payload), ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    const auto* f = o.if_contains("field");
    const auto* m = o.if_contains("message");
    if (f && m && f->is_string() && m->is_string()) {
      out.push_back({std::string(f->as_string()), std::string(m->as_string())});
    }
  }
  return out;
}

}  // namespace tailor
