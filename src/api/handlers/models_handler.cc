// /v1/models: the tenant's trained models, their versions and offline
// metrics, training jobs, and on-demand training.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "domain/validation.h"
#include "jobs/training.h"
#include "jobs/training_scheduler.h"
#include "serving/engine.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

bool Enabled(RequestContext& ctx, const Respond& respond) {
  if (ctx.env->engine != nullptr && ctx.env->scheduler != nullptr) return true;
  respond(ProblemFromStatus(absl::UnavailableError("model training is not enabled"), "engine"));
  return false;
}

void ListModels(RequestContext& ctx, Respond respond) {
  if (!Enabled(ctx, respond)) return;
  absl::StatusOr<serving::TenantRuntime*> runtime = ctx.env->engine->Tenant(ctx.tenant());
  if (RespondIfError(runtime.status(), respond, "tenant")) return;
  std::shared_ptr<const serving::ModelSet> set = (*runtime)->registry.Current();
  const serving::ServingModel* best = set->Best();
  json::array models;
  for (const auto& [name, m] : set->models) {
    json::object o = m->record.ToJson();
    o.erase("blob");  // where the store keeps it: not the API's concern
    o["best"] = best != nullptr && best->record.name == name;
    models.push_back(std::move(o));
  }
  json::array history;
  for (const serving::ModelRecord& r : (*runtime)->registry.Records()) {
    history.push_back({{"name", r.name}, {"version", r.version},
                       {"trained_at", domain::FormatRfc3339(r.trained_at)}, {"metrics", r.metrics}});
  }
  json::array jobs;
  for (const jobs::Job& j : ctx.env->scheduler->Jobs(ctx.tenant())) jobs.push_back(j.ToJson());
  respond(JsonResponse(200, json::object{{"models", std::move(models)},
                                         {"content_index", set->content != nullptr},
                                         {"history", std::move(history)},
                                         {"jobs", std::move(jobs)}}));
}

void TrainModel(RequestContext& ctx, Respond respond) {
  if (!Enabled(ctx, respond)) return;
  json::object params;
  if (!ctx.request.body.empty()) {
    absl::StatusOr<json::value> body = ctx.JsonBody();
    if (RespondIfError(body.status(), respond, "body")) return;
    FieldErrors errors;
    if (!body->is_object()) {
      errors.Add("body", "must be an object {\"params\": {...}}");
    } else {
      for (const auto& [key, value] : body->get_object()) {
        if (key == "params" && value.is_object()) {
          params = value.get_object();
        } else if (key == "params") {
          errors.Add("params", "must be an object of hyper-parameters");
        } else {
          errors.Add(std::string(key), "is not a known field");
        }
      }
    }
    if (RespondIfError(errors.ToStatus(""), respond, "body")) return;
  }
  absl::StatusOr<jobs::Job> job =
      ctx.env->scheduler->Enqueue(ctx.tenant(), ctx.param("name"), std::move(params));
  if (RespondIfError(job.status(), respond, "name")) return;
  respond(JsonResponse(202, job->ToJson()));
}

}  // namespace

void AddModelRoutes(Router& router, ServiceEnv& env) {
  router.Add("GET", "/v1/models", Access::kRead, ListModels);
  router.Add("POST", "/v1/models/{name}/train", Access::kAdmin, TrainModel);
}

}  // namespace tailor::api
