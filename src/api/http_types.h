// Transport-neutral request and response types. Only http_server.cc knows
// Boost.Beast; handlers see these plain structs.
#ifndef TAILOR_API_HTTP_TYPES_H_
#define TAILOR_API_HTTP_TYPES_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tailor::api {

struct HttpRequest {
  std::string method;  // "GET", "PUT", ...
  std::string target;  // raw request target, e.g. "/v1/users?limit=10"
  std::string authorization;
  std::string content_type;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Sends the response. Must be called exactly once per request, from any
// thread; it never blocks.
using Respond = std::function<void(HttpResponse)>;

// Handles one request; answers through `respond`, possibly later.
using RequestHandler = std::function<void(HttpRequest, Respond)>;

}  // namespace tailor::api

#endif  // TAILOR_API_HTTP_TYPES_H_
