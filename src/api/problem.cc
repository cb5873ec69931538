#include "api/problem.h"

#include <boost/json.hpp>

#include "common/json_text.h"
#include "common/strings.h"

namespace tailor::api {

namespace json = boost::json;

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

namespace {
std::string_view SlugFor(int status) {
  switch (status) {
    case 400:
      return "invalid-request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 409:
      return "conflict";
    case 429:
      return "too-many-requests";
    case 503:
      return "unavailable";
    default:
      return "internal-error";
  }
}
std::string_view TitleFor(int status) {
  switch (status) {
    case 400:
      return "The request is invalid";
    case 401:
      return "Authentication required";
    case 403:
      return "Not allowed for this key";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 429:
      return "Too many requests";
    case 503:
      return "Temporarily unavailable";
    default:
      return "Internal error";
  }
}
}  // namespace

HttpResponse Problem(int status, std::string_view slug, std::string_view title,
                     std::string_view detail, const std::vector<FieldError>& errors) {
  json::object body;
  body["type"] = StrCat("urn:tailor:problem:", slug);
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  json::array arr;
  for (const FieldError& e : errors) {
    arr.push_back(json::object{{"field", e.field}, {"message", e.message}});
  }
  body["errors"] = std::move(arr);
  HttpResponse res;
  res.status = status;
  res.content_type = "application/problem+json";
  res.body = JsonText(body);
  return res;
}

HttpResponse ProblemFromStatus(const absl::Status& status, std::string_view default_field) {
  int http = HttpStatusFor(status.code());
  std::vector<FieldError> errors = FieldErrorsOf(status);
  std::string detail(View(status.message()));
  if (http >= 500) {
    // Internal details stay in the log, not in the answer.
    if (http == 500) detail = "internal error";
  }
  if (errors.empty() && !default_field.empty()) {
    errors.push_back({std::string(default_field), detail});
  }
  HttpResponse res = Problem(http, SlugFor(http), TitleFor(http), detail, errors);
  if (http == 429 || http == 503) res.headers.emplace_back("Retry-After", "1");
  return res;
}

}  // namespace tailor::api
