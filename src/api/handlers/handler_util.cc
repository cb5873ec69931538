#include "api/handlers/handlers.h"

#include "common/strings.h"
#include "serving/engine.h"

namespace tailor::api {

void SubmitWrite(RequestContext& ctx, storage::WriteBatch batch,
                 std::function<HttpResponse(const storage::WriteResult&)> on_ok, Respond respond,
                 std::string field) {
  ctx.env->store.Write(
      ctx.tenant(), std::move(batch),
      [feed = ctx.env->feed, on_ok = std::move(on_ok), respond = std::move(respond),
       field = std::move(field)](absl::StatusOr<storage::WriteResult> r) {
        if (!r.ok()) {
          respond(ProblemFromStatus(r.status(), field));
          return;
        }
        // Answered once the serving state applied the change (off the
        // store's writer thread), so the caller's next request sees it.
        if (feed != nullptr && r->change_position > 0) {
          feed->WhenDelivered(r->change_position,
                              [on_ok, respond, result = *std::move(r)] { respond(on_ok(result)); });
        } else {
          respond(on_ok(*r));
        }
      });
}

HttpResponse DeletedOrNotFound(int64_t deleted, std::string_view field, std::string_view what) {
  if (deleted == 0) {
    return Problem(404, "not-found", "Not found", StrCat("no such ", what),
                   {{std::string(field), StrCat("no ", what, " with this id")}});
  }
  HttpResponse res;
  res.status = 204;
  return res;
}

bool RespondIfError(const absl::Status& status, const Respond& respond,
                    std::string_view default_field) {
  if (status.ok()) return false;
  respond(ProblemFromStatus(status, default_field));
  return true;
}

serving::TenantRuntime* ServingRuntime(RequestContext& ctx, const Respond& respond,
                                       std::string_view feature) {
  if (ctx.env->engine == nullptr) {
    respond(ProblemFromStatus(absl::UnavailableError(StrCat(feature, " are not enabled")), "engine"));
    return nullptr;
  }
  absl::StatusOr<serving::TenantRuntime*> r = ctx.env->engine->Tenant(ctx.tenant());
  if (RespondIfError(r.status(), respond, "tenant")) return nullptr;
  return *r;
}

}  // namespace tailor::api
