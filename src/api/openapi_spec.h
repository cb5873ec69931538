// The API description (api/openapi.yaml, embedded at build time) as YAML text
// and converted to JSON for GET /openapi.json, plus the route list it
// declares, which a test compares with the router.
#ifndef TAILOR_API_OPENAPI_SPEC_H_
#define TAILOR_API_OPENAPI_SPEC_H_

#include <boost/json/value.hpp>
#include <set>
#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace tailor::api {

const std::string& OpenApiYaml();

// The spec as JSON (parsed once). Internal error when the YAML is broken.
absl::StatusOr<boost::json::value> OpenApiJson();

// Every (METHOD, path) pair the spec declares, e.g. ("GET", "/v1/users/{user_id}").
absl::StatusOr<std::set<std::pair<std::string, std::string>>> OpenApiOperations();

// A self-contained HTML page documenting the operations (GET /docs).
std::string RenderDocsPage(const boost::json::value& spec);

}  // namespace tailor::api

#endif  // TAILOR_API_OPENAPI_SPEC_H_
