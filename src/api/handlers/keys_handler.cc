// POST /v1/keys/revoke: an admin revokes one of the tenant's API keys by its
// secret (the case that matters: a key that leaked). Every node refuses the
// key once it has followed the change log to the revocation.
#include <boost/json.hpp>

#include "api/auth.h"
#include "api/handlers/handlers.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

void RevokeKey(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  const json::object* obj = body->if_object();
  const json::value* key = obj != nullptr ? obj->if_contains("key") : nullptr;
  if (key == nullptr || !key->is_string() || key->get_string().empty() ||
      key->get_string().size() > 256 || obj->size() != 1) {
    respond(
        ProblemFromStatus(InvalidField("key", "must be the API key to revoke (a string)"), "key"));
    return;
  }
  const std::string secret(key->get_string());
  absl::StatusOr<storage::WriteBatch> batch =
      RevocationOf(ctx.env->store, secret, ctx.env->clock.Now(), ctx.tenant());
  if (absl::IsNotFound(batch.status())) {
    respond(Problem(404, "not-found", "Not found", "no such API key in this tenant",
                    {{"key", "no API key of this tenant has this value"}}));
    return;
  }
  if (RespondIfError(batch.status(), respond, "key")) return;
  // Answered once this node's authenticator applied it (read-your-writes);
  // the other nodes follow within the change feed's delay.
  SubmitWrite(
      ctx, *std::move(batch),
      [prefix = KeyPrefix(secret)](const storage::WriteResult&) {
        return JsonResponse(200, json::object{{"revoked", true}, {"prefix", prefix}});
      },
      std::move(respond), "key");
}

}  // namespace

void AddKeyRoutes(Router& router, ServiceEnv& env) {
  router.Add("POST", "/v1/keys/revoke", Access::kAdmin, RevokeKey);
}

}  // namespace tailor::api
