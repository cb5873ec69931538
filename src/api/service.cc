#include "api/service.h"

#include "absl/strings/ascii.h"
#include "api/handlers/handlers.h"
#include "api/problem.h"
#include "common/metrics.h"
#include "common/strings.h"

namespace tailor::api {

namespace {

bool RoleAllows(domain::Role role, Access access) {
  switch (access) {
    case Access::kPublic:
    case Access::kRead:
      return true;
    case Access::kWrite:
      return role >= domain::Role::kWrite;
    case Access::kAdmin:
      return role == domain::Role::kAdmin;
  }
  return false;
}

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kWrite:
      return "write";
    case Access::kAdmin:
      return "admin";
    default:
      return "read";
  }
}

bool IsJsonContentType(std::string_view ct) {
  std::string lower = absl::AsciiStrToLower(std::string(ct.substr(0, ct.find(';'))));
  std::string_view type = View(absl::StripAsciiWhitespace(lower));
  return type == "application/json" || type.empty() ||
         (type.size() > 5 && type.substr(type.size() - 5) == "+json");
}

Counter& CountRequest(std::string_view route, std::string_view method, int status) {
  return MetricsRegistry::Default().GetCounter("tailor_http_requests_total",
                                               "HTTP requests by route, method and status",
                                               {{"route", std::string(route)},
                                                {"method", std::string(method)},
                                                {"status", std::to_string(status)}});
}

}  // namespace

Service::Service(ServiceEnv env) : env_(env), auth_(env.store, env.clock) {
  AddSystemRoutes(router_, env_);
  AddRecommendRoutes(router_, env_);
  AddUserRoutes(router_, env_);
  AddItemRoutes(router_, env_);
  AddEventRoutes(router_, env_);
  AddSentimentRoutes(router_, env_);
  AddModelRoutes(router_, env_);
  AddInsightsRoutes(router_, env_);
  AddNotifyRoutes(router_, env_);
  AddSettingsRoutes(router_, env_);
  AddWebhookRoutes(router_, env_);
  AddKeyRoutes(router_, env_);
  for (const Route& route : router_.routes()) {
    auto metrics = std::make_unique<RouteMetrics>();
    metrics->latency = &MetricsRegistry::Default().GetHistogram(
        "tailor_http_request_duration_seconds", "HTTP request latency by route and method",
        {{"route", route.pattern}, {"method", route.method}});
    route_metrics_.push_back(std::move(metrics));
  }
}

namespace {

HttpResponse Unmatched(const RouteMatch& match, std::string_view method) {
  HttpResponse res;
  if (!match.bad_param.empty()) {
    res = Problem(400, "invalid-request", "The request is invalid", "malformed percent-escape",
                  {{match.bad_param, "malformed percent-escape in the path"}});
  } else if (match.outcome == RouteMatch::kMethodNotAllowed) {
    std::string allowed;
    for (const auto& m : match.allowed_methods) allowed += (allowed.empty() ? "" : ", ") + m;
    res = Problem(405, "method-not-allowed", "Method not allowed",
                  StrCat(method.substr(0, 16), " is not allowed here; allowed: ", allowed),
                  {{"method", StrCat("allowed: ", allowed)}});
    res.headers.emplace_back("Allow", allowed);
  } else {
    res = Problem(404, "not-found", "Not found", "no such route",
                  {{"path", "no route matches this path"}});
  }
  CountRequest("unmatched", "-", res.status).Increment();
  return res;
}

}  // namespace

std::optional<HttpResponse> Service::Authorize(const Route& route, std::string_view authorization,
                                               Principal* principal) {
  if (route.access == Access::kPublic) return std::nullopt;
  absl::StatusOr<Principal> who = auth_.Authenticate(authorization);
  if (!who.ok()) {
    HttpResponse res = ProblemFromStatus(who.status(), "Authorization");
    if (res.status == 401) res.headers.emplace_back("WWW-Authenticate", "Bearer");
    return res;
  }
  if (!RoleAllows(who->role, route.access)) {
    return Problem(
        403, "forbidden", "Not allowed for this key",
        StrCat("this route needs a key with the ", AccessName(route.access), " role; this key has ",
               domain::RoleName(who->role)),
        {{"Authorization", StrCat("role ", domain::RoleName(who->role), " is not enough")}});
  }
  if (principal != nullptr) *principal = *who;
  return std::nullopt;
}

std::optional<HttpResponse> Service::CheckHead(const HttpRequest& head) {
  std::string_view target = head.target;
  RouteMatch match = router_.Match(head.method, target.substr(0, target.find('?')));
  if (match.outcome != RouteMatch::kFound) return Unmatched(match, head.method);
  const Route& route = *match.route;
  std::optional<HttpResponse> refused = Authorize(route, head.authorization, nullptr);
  if (refused) {
    RouteMetrics* metrics = route_metrics_[&route - router_.routes().data()].get();
    metrics->latency->Observe(0);
    CountRequest(route.pattern, route.method, refused->status).Increment();
  }
  return refused;
}

void Service::Handle(HttpRequest request, Respond respond) {
  std::string_view target = request.target;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  RouteMatch match = router_.Match(request.method, path);
  if (match.outcome != RouteMatch::kFound) {
    respond(Unmatched(match, request.method));
    return;
  }
  const Route& route = *match.route;
  RouteMetrics* metrics = route_metrics_[&route - router_.routes().data()].get();
  absl::Time start = absl::Now();
  Respond measured = [respond = std::move(respond), metrics, start, &route](HttpResponse res) {
    metrics->latency->Observe(absl::ToDoubleSeconds(absl::Now() - start));
    int status = std::clamp(res.status, 0, 599);
    Counter* counter = metrics->by_status[status].load(std::memory_order_acquire);
    if (counter == nullptr) {
      counter = &CountRequest(route.pattern, route.method, status);
      metrics->by_status[status].store(counter, std::memory_order_release);
    }
    counter->Increment();
    respond(std::move(res));
  };

  auto ctx = std::make_unique<RequestContext>();
  ctx->params = std::move(match.params);
  ctx->env = &env_;
  if (q != std::string_view::npos && !ParseQuery(target.substr(q + 1), &ctx->query)) {
    measured(Problem(400, "invalid-request", "The request is invalid", "malformed query string",
                     {{"query", "malformed percent-escape"}}));
    return;
  }
  Principal principal;
  if (std::optional<HttpResponse> refused = Authorize(route, request.authorization, &principal)) {
    measured(*std::move(refused));
    return;
  }
  if (route.access != Access::kPublic) ctx->principal = principal;
  if (!request.body.empty() && !IsJsonContentType(request.content_type)) {
    measured(Problem(415, "unsupported-media-type", "Unsupported media type",
                     "request bodies must be application/json",
                     {{"Content-Type", "must be application/json"}}));
    return;
  }
  ctx->request = std::move(request);
  // The context lives until the handler answers, which may be later.
  RequestContext* raw = ctx.get();
  route.handler(*raw,
                [ctx = std::shared_ptr<RequestContext>(std::move(ctx)),
                 measured = std::move(measured)](HttpResponse res) { measured(std::move(res)); });
}

}  // namespace tailor::api
