// /v1/users: PUT/GET/DELETE one user, list users, list a user's events.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "serving/engine.h"
#include "domain/user.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

void PutUser(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  absl::StatusOr<domain::User> user = domain::ParseUser(*body, ctx.param("user_id"));
  if (RespondIfError(user.status(), respond, "body")) return;
  user->updated_at = absl::FromUnixMicros(absl::ToUnixMicros(ctx.env->clock.Now()));
  storage::WriteBatch batch;
  batch.PutUser(*user);
  SubmitWrite(ctx, std::move(batch),
              [user = *std::move(user)](const storage::WriteResult& r) mutable {
                // A replaced user keeps the creation time the store holds.
                user.created_at = r.created_at.empty() ? user.updated_at : r.created_at.front();
                return JsonResponse(200, domain::UserToJson(user));
              },
              std::move(respond));
}

// A user exists once the tenant has written them (PUT) or any event of
// theirs, as for the profile. A user known only through events answers like
// one written with an empty body: no attributes, no contact, no consent, and
// no created_at/updated_at (there is no record to date).
void GetUser(RequestContext& ctx, Respond respond) {
  const std::string& id = ctx.param("user_id");
  absl::StatusOr<domain::User> user = ctx.env->store.GetUser(ctx.tenant(), id);
  if (absl::IsNotFound(user.status())) {
    auto events = ctx.env->store.ListUserEvents(ctx.tenant(), id, "", 1);
    if (events.ok() && !events->rows.empty()) {
      domain::User known;
      known.id = id;
      respond(JsonResponse(200, domain::UserToJson(known)));
      return;
    }
  }
  if (RespondIfError(user.status(), respond, "user_id")) return;
  respond(JsonResponse(200, domain::UserToJson(*user)));
}

void DeleteUser(RequestContext& ctx, Respond respond) {
  std::string id = ctx.param("user_id");
  storage::WriteBatch batch;
  batch.DeleteUser(id);
  SubmitWrite(ctx, std::move(batch),
              [](const storage::WriteResult& r) {
                return DeletedOrNotFound(r.deleted + r.events_deleted, "user_id", "user");
              },
              std::move(respond), "user_id");
}

void ListUsers(RequestContext& ctx, Respond respond) {
  absl::StatusOr<int> limit = ctx.QueryInt("limit", 100, 1, 1000);
  if (RespondIfError(limit.status(), respond, "limit")) return;
  auto page = ctx.env->store.ListUsers(ctx.tenant(), ctx.QueryString("cursor"), *limit);
  if (RespondIfError(page.status(), respond, "cursor")) return;
  RespondPage(respond, "users", *page, domain::UserToJson);
}

void ListUserEvents(RequestContext& ctx, Respond respond) {
  absl::StatusOr<int> limit = ctx.QueryInt("limit", 100, 1, 1000);
  if (RespondIfError(limit.status(), respond, "limit")) return;
  auto page = ctx.env->store.ListUserEvents(ctx.tenant(), ctx.param("user_id"),
                                            ctx.QueryString("cursor"), *limit);
  if (RespondIfError(page.status(), respond, "cursor")) return;
  RespondPage(respond, "events", *page, domain::EventToJson);
}

}  // namespace

void AddUserRoutes(Router& router, ServiceEnv& env) {
  router.Add("GET", "/v1/users", Access::kRead, ListUsers);
  router.Add("PUT", "/v1/users/{user_id}", Access::kWrite, PutUser);
  router.Add("GET", "/v1/users/{user_id}", Access::kRead, GetUser);
  router.Add("DELETE", "/v1/users/{user_id}", Access::kWrite, DeleteUser);
  router.Add("GET", "/v1/users/{user_id}/events", Access::kRead, ListUserEvents);
}

}  // namespace tailor::api
