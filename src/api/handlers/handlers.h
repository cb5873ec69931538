// Route registration, one function per resource (one file each).
#ifndef TAILOR_API_HANDLERS_HANDLERS_H_
#define TAILOR_API_HANDLERS_HANDLERS_H_

#include <boost/json.hpp>
#include <functional>

#include "api/problem.h"
#include "api/request_context.h"
#include "api/router.h"
#include "common/json_text.h"

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
// Rows are answered up to `max_bytes` of JSON: a page that would be larger
// ends early (at least one row) with the cursor after its last answered
// row, so one request never builds an unbounded answer in memory.
inline constexpr size_t kMaxListAnswerBytes = 4 << 20;
template <typename Row, typename ToJson>
void RespondPage(const Respond& respond, std::string_view key, const storage::Page<Row>& page,
                 ToJson to_json, size_t max_bytes = kMaxListAnswerBytes) {
  std::string rows = "[";
  std::string next = page.next_cursor;
  // The envelope around the rows: the key, and a cursor of at most 1 KiB.
  const size_t envelope = key.size() + 1024 + 32;
  const size_t budget = max_bytes > envelope ? max_bytes - envelope : 0;
  for (size_t i = 0; i < page.rows.size(); ++i) {
    std::string row = JsonText(to_json(page.rows[i]));
    if (i > 0 && rows.size() + row.size() + 2 > budget && page.cursor_after) {
      next = page.cursor_after(page.rows[i - 1]);
      break;
    }
    if (i > 0) rows += ',';
    rows += row;
  }
  rows += ']';
  HttpResponse res;
  res.body = "{" + JsonText(boost::json::string(key)) + ":" + rows + ",\"next_cursor\":" +
             (next.empty() ? std::string("null") : JsonText(boost::json::string(next))) + "}";
  respond(std::move(res));
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
