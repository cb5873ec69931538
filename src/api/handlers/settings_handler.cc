// /v1/settings/{name}: the tenant's recommendation and insights
// configuration, kept in the store so every node reads the same
// (serving/tenant_config.h). `event_weights`: how much each event type
// weighs; `insights`: churn and engagement horizons.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "serving/engine.h"
#include "serving/tenant_config.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

// When a stored change takes effect on the nodes.
constexpr char kWeightsApply[] =
    "when each node next loads the tenant (at start): the serving state is built with them";
constexpr char kInsightsApply[] = "at each node's next insights fit (the change feed carries it)";

bool KnownSetting(RequestContext& ctx, const Respond& respond) {
  const std::string& name = ctx.param("name");
  if (name == serving::kEventWeightsSetting || name == serving::kInsightsSetting) return true;
  respond(ProblemFromStatus(absl::NotFoundError("no such setting: use event_weights or insights"),
                            "name"));
  return false;
}

void GetSetting(RequestContext& ctx, Respond respond) {
  if (!KnownSetting(ctx, respond)) return;
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "settings");
  if (runtime == nullptr) return;
  const bool weights = ctx.param("name") == serving::kEventWeightsSetting;
  json::object out{
      {"name", ctx.param("name")},
      {"value", weights ? runtime->state.weights().ToJson()
                        : serving::InsightsSettingsToJson(runtime->InsightsOptions())}};
  absl::StatusOr<storage::Record> stored = ctx.env->engine->store().GetRecord(
      ctx.tenant(), serving::kSettingsCollection, ctx.param("name"));
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    RespondIfError(stored.status(), respond, "name");
    return;
  }
  boost::system::error_code ec;
  json::value doc = stored.ok() ? json::parse(stored->doc, ec) : json::value(nullptr);
  out["stored"] = ec ? json::value(nullptr) : doc;
  out["applies"] = weights ? kWeightsApply : kInsightsApply;
  respond(JsonResponse(200, out));
}

void PutSetting(RequestContext& ctx, Respond respond) {
  if (!KnownSetting(ctx, respond)) return;
  if (ServingRuntime(ctx, respond, "settings") == nullptr) return;
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  if (!body->is_object()) {
    RespondIfError(absl::InvalidArgumentError("body: must be a JSON object"), respond, "body");
    return;
  }
  const bool weights = ctx.param("name") == serving::kEventWeightsSetting;
  json::object value;
  if (weights) {
    absl::StatusOr<serving::EventWeights> w = serving::EventWeights::FromJson(body->get_object());
    if (RespondIfError(w.status(), respond, "weights")) return;
    value = w->ToJson();
  } else {
    absl::StatusOr<insights::ActivityModelOptions> o =
        serving::ParseInsightsSettings(body->get_object(), {}, "");
    if (RespondIfError(o.status(), respond, "body")) return;
    // Only the horizons given: the others keep each node's default
    // (--churn-horizon-days).
    value = body->get_object();
  }
  storage::WriteBatch batch;
  batch.PutRecord(serving::kSettingsCollection, ctx.param("name"), json::serialize(value),
                  ctx.env->clock.Now());
  SubmitWrite(
      ctx, std::move(batch),
      [name = ctx.param("name"), value, weights](const storage::WriteResult&) {
        return JsonResponse(200,
                            json::object{{"name", name},
                                         {"value", value},
                                         {"stored", value},
                                         {"applies", weights ? kWeightsApply : kInsightsApply}});
      },
      std::move(respond), "body");
}

}  // namespace

void AddSettingsRoutes(Router& router, ServiceEnv& env) {
  router.Add("GET", "/v1/settings/{name}", Access::kRead, GetSetting);
  router.Add("PUT", "/v1/settings/{name}", Access::kAdmin, PutSetting);
}

}  // namespace tailor::api
