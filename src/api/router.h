// Router: maps (method, path) to a handler. Patterns are OpenAPI-style paths
// with `{name}` segments ("/v1/users/{user_id}/events"); captured segments
// are percent-decoded. The route table is data: routes() lists it, and a
// test checks it against api/openapi.yaml.
//
//   router.Add("GET", "/v1/users/{user_id}", Access::kRead, &GetUser);
//   RouteMatch m = router.Match("GET", "/v1/users/u%2F1");   // params["user_id"] == "u/1"
#ifndef TAILOR_API_ROUTER_H_
#define TAILOR_API_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "domain/tenant.h"

namespace tailor::api {

struct RequestContext;
using RouteHandler = std::function<void(RequestContext&, Respond)>;

// Who may call a route: anyone, or a key with at least this role.
enum class Access { kPublic, kRead, kWrite, kAdmin };

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  RouteHandler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

struct RouteMatch {
  enum Outcome { kFound, kNotFound, kMethodNotAllowed } outcome = kNotFound;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed_methods;  // for kMethodNotAllowed
  std::string bad_param;                     // a segment that did not decode
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, RouteHandler handler);
  // `path` is the target without the query string.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Percent-decodes `in` ('+' is kept as is). False on a malformed escape.
bool PercentDecode(std::string_view in, std::string* out);

// Splits "a=1&b=x%20y" into decoded pairs; the last value of a repeated key
// wins. False on a malformed escape.
bool ParseQuery(std::string_view query, std::map<std::string, std::string>* out);

}  // namespace tailor::api

#endif  // TAILOR_API_ROUTER_H_
