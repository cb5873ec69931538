// Field errors: the list of "which field is wrong and why" that travels with an
// InvalidArgument status from validation (domain/) up to the API layer, which
// renders it as `errors[]` in an application/problem+json answer.
//
//   FieldErrors errors;
//   if (id.empty()) errors.Add("user_id", "must not be empty");
//   if (!errors.empty()) return errors.ToStatus("invalid user");
//   ...
//   for (const FieldError& e : FieldErrorsOf(status)) { ... }
#ifndef TAILOR_COMMON_FIELD_ERRORS_H_
#define TAILOR_COMMON_FIELD_ERRORS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace tailor {

struct FieldError {
  std::string field;    // JSON path of the offending field, e.g. "events[3].timestamp"
  std::string message;  // what is wrong, for a human
};

class FieldErrors {
 public:
  void Add(std::string field, std::string message);
  // Adds every error of `status` (which may carry field errors) under `prefix`,
  // e.g. prefix "events[2]" turns "user_id" into "events[2].user_id".
  void AddAllWithPrefix(std::string_view prefix, const absl::Status& status);
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // InvalidArgument carrying the errors; OkStatus() when there are none.
  absl::Status ToStatus(std::string_view message) const;

 private:
  std::vector<FieldError> errors_;
};

// A status carrying exactly one field error.
absl::Status InvalidField(std::string field, std::string message);

// The field errors carried by `status` (empty when it carries none).
std::vector<FieldError> FieldErrorsOf(const absl::Status& status);

}  // namespace tailor

#endif  // TAILOR_COMMON_FIELD_ERRORS_H_
