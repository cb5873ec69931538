// application/problem+json answers (RFC 9457) and the one mapping from
// absl::Status codes to HTTP status codes.
//
//   return respond(ProblemFromStatus(status));          // field errors included
//   return respond(Problem(404, "not-found", "Not found", "no route", {{"path", "..."}}));
#ifndef TAILOR_API_PROBLEM_H_
#define TAILOR_API_PROBLEM_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "api/http_types.h"
#include "common/field_errors.h"

namespace tailor::api {

// The HTTP status for a canonical status code.
int HttpStatusFor(absl::StatusCode code);

HttpResponse Problem(int status, std::string_view slug, std::string_view title,
                     std::string_view detail, const std::vector<FieldError>& errors);

// A problem answer for a non-OK status. When the status carries no field
// errors, `default_field` (e.g. "user_id") is named instead, so every 4xx
// names a field. ResourceExhausted and Unavailable add Retry-After.
HttpResponse ProblemFromStatus(const absl::Status& status, std::string_view default_field = "");

}  // namespace tailor::api

#endif  // TAILOR_API_PROBLEM_H_
