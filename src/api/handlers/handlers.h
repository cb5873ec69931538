// Route registration, one function per resource (one file each).
#ifndef TAILOR_API_HANDLERS_HANDLERS_H_
#define TAILOR_API_HANDLERS_HANDLERS_H_

#include <boost/json.hpp>
#include <functional>

#include "api/problem.h"
#include "api/request_context.h"
#include "api/router.h"

namespace tailor::serving {
struct TenantRuntime;
}

namespace tailor::api {

void AddSystemRoutes(Router& router, ServiceEnv& env);  // health, metrics, OpenAPI, docs
void AddUserRoutes(Router& router, ServiceEnv& env);
void AddItemRoutes(Router& router, ServiceEnv& env);
void AddEventRoutes(Router& router, ServiceEnv& env);
void AddSentimentRoutes(Router& router, ServiceEnv& env);
void AddRecommendRoutes(Router& router, ServiceEnv& env);  // before AddItemRoutes
void AddModelRoutes(Router& router, ServiceEnv& env);
void AddInsightsRoutes(Router& router, ServiceEnv& env);  // profiles, overview, segments
void AddNotifyRoutes(Router& router, ServiceEnv& env);    // templates, settings, decisions
void AddWebhookRoutes(Router& router, ServiceEnv& env);
void AddKeyRoutes(Router& router, ServiceEnv& env);       // revocation
void AddSettingsRoutes(Router& router, ServiceEnv& env);  // event weights, insights horizons

// Submits `batch` for the caller's tenant and answers with `on_ok(result)`
// once it is durable, or with a problem (naming `field`) when it failed.
void SubmitWrite(RequestContext& ctx, storage::WriteBatch batch,
                 std::function<HttpResponse(const storage::WriteResult&)> on_ok, Respond respond,
                 std::string field = "body");

// Answers a listing: {"<key>": [to_json(row)...], "next_cursor": "..."|null}.
template <typename Row, typename ToJson>
void RespondPage(const Respond& respond, std::string_view key, const storage::Page<Row>& page,
                 ToJson to_json) {
  boost::json::array rows;
  for (const Row& row : page.rows) rows.push_back(to_json(row));
  boost::json::object out;
  out[key] = std::move(rows);
  out["next_cursor"] =
      page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
  respond(JsonResponse(200, out));
}

// 204 when `deleted` > 0, else 404 naming `field` ("no <what> with this id").
HttpResponse DeletedOrNotFound(int64_t deleted, std::string_view field, std::string_view what);

// Answers with the problem for `status` when it is not OK; returns whether
// it answered.
bool RespondIfError(const absl::Status& status, const Respond& respond,
                    std::string_view default_field);

// The caller's serving runtime, or null after answering with a problem (503
// when the server runs without an engine: "<feature> are not enabled").
serving::TenantRuntime* ServingRuntime(RequestContext& ctx, const Respond& respond,
                                       std::string_view feature);

}  // namespace tailor::api

#endif  // TAILOR_API_HANDLERS_HANDLERS_H_
