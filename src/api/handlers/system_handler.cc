// Operational routes: /healthz, /readyz, /metrics, /openapi.json, /docs.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "api/openapi_spec.h"
#include "cluster/change_bus.h"
#include "common/strings.h"
#include "common/metrics.h"

namespace tailor::api {

namespace json = boost::json;

void AddSystemRoutes(Router& router, ServiceEnv& env) {
  router.Add("GET", "/healthz", Access::kPublic, [](RequestContext&, Respond respond) {
    respond(JsonResponse(200, json::object{{"status", "ok"}}));
  });
  // Ready while the store answers: without Redis a node still takes writes
  // and follows the other nodes by polling the change log, so Redis is
  // reported, not required.
  router.Add("GET", "/readyz", Access::kPublic, [](RequestContext& ctx, Respond respond) {
    absl::Status s = ctx.env->store.Ping();
    if (!s.ok()) {
      respond(ProblemFromStatus(absl::UnavailableError(s.message()), "store"));
      return;
    }
    json::object body{{"status", "ready"}, {"store", "ok"}};
    if (const cluster::ChangeBus* bus = ctx.env->bus; bus != nullptr) {
      absl::Status redis = bus->Status();
      body["redis"] = redis.ok() ? std::string("ok") : StrCat("unreachable: ", View(redis.message()));
      body["change_feed"] = redis.ok() ? "announced" : "polling";
    }
    respond(JsonResponse(200, std::move(body)));
  });
  router.Add("GET", "/metrics", Access::kPublic, [](RequestContext&, Respond respond) {
    HttpResponse res;
    res.content_type = "text/plain; version=0.0.4";
    res.body = MetricsRegistry::Default().RenderPrometheus();
    respond(std::move(res));
  });
  router.Add("GET", "/openapi.json", Access::kPublic, [](RequestContext&, Respond respond) {
    absl::StatusOr<json::value> spec = OpenApiJson();
    if (RespondIfError(spec.status(), respond, "spec")) return;
    respond(JsonResponse(200, *spec));
  });
  router.Add("GET", "/docs", Access::kPublic, [](RequestContext&, Respond respond) {
    absl::StatusOr<json::value> spec = OpenApiJson();
    if (RespondIfError(spec.status(), respond, "spec")) return;
    HttpResponse res;
    res.content_type = "text/html; charset=utf-8";
    res.body = RenderDocsPage(*spec);
    respond(std::move(res));
  });
}

}  // namespace tailor::api
