// Service: the whole HTTP API as one RequestHandler — routing, content
// negotiation, authentication, role checks, problem answers and per-route
// metrics — independent of the transport (see http_server.h).
//
//   Service service({store, Clock::Real()});
//   HttpServer server(options, [&](HttpRequest r, Respond done) {
//     service.Handle(std::move(r), std::move(done));
//   });
#ifndef TAILOR_API_SERVICE_H_
#define TAILOR_API_SERVICE_H_

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "api/auth.h"
#include "api/request_context.h"
#include "api/router.h"

namespace tailor {
class Counter;
class Histogram;
}  // namespace tailor

namespace tailor::api {

class Service {
 public:
  explicit Service(ServiceEnv env);
  void Handle(HttpRequest request, Respond respond);
  // The checks that need only the request head (route, API key, role), for
  // HttpServer to run before it reads a body: an answer here means the body
  // is never read. Handle() checks the same again.
  std::optional<HttpResponse> CheckHead(const HttpRequest& head);
  const Router& router() const { return router_; }
  // For the change feed: revocations reach the key cache through it.
  Authenticator& authenticator() { return auth_; }

 private:
  // Nothing when `route` may be called with `authorization` (and then
  // *principal is who calls it), else the 401 or 403 answer.
  std::optional<HttpResponse> Authorize(const Route& route, std::string_view authorization,
                                        Principal* principal);

  ServiceEnv env_;
  Authenticator auth_;
  Router router_;
  // Per-route metrics, parallel to router_.routes(). Counters by status are
  // created on first use and then read without locking.
  struct RouteMetrics {
    Histogram* latency = nullptr;
    std::array<std::atomic<Counter*>, 600> by_status{};
  };
  std::vector<std::unique_ptr<RouteMetrics>> route_metrics_;
};

}  // namespace tailor::api

#endif  // TAILOR_API_SERVICE_H_
