// /v1/webhooks: a tenant's webhook subscriptions (admin role), stored as
// records and delivered by api::WebhookDispatcher. The secret is answered in
// full only by the PUT that sets it.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "api/webhooks.h"
#include "common/strings.h"
#include "domain/validation.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

WebhookDispatcher* HooksOrRespond(RequestContext& ctx, const Respond& respond) {
  if (ctx.env->webhooks == nullptr) {
    respond(ProblemFromStatus(absl::UnavailableError("webhooks are not enabled"), "webhooks"));
  }
  return ctx.env->webhooks;
}

json::object WebhookAnswer(WebhookDispatcher& hooks, domain::TenantId tenant,
                           const storage::Record& r, bool show_secret) {
  boost::system::error_code ec;
  json::value doc = json::parse(r.doc, ec);
  json::object out = doc.is_object() ? doc.get_object() : json::object();
  if (!show_secret && out.contains("secret")) {
    const std::string secret(out.at("secret").as_string());
    // The last 4 characters only: enough to tell secrets apart, too few to
    // help guess one.
    out["secret"] =
        StrCat("****", secret.substr(secret.size() - std::min<size_t>(4, secret.size())));
  }
  out["id"] = r.id;
  out["created_at"] = domain::FormatRfc3339(r.created_at);
  out["updated_at"] = domain::FormatRfc3339(r.updated_at);
  out["stats"] = hooks.Stats(tenant, r.id);
  return out;
}

void PutWebhook(RequestContext& ctx, Respond respond) {
  WebhookDispatcher* hooks = HooksOrRespond(ctx, respond);
  if (hooks == nullptr) return;
  const std::string id = ctx.param("webhook_id");
  if (absl::Status s = domain::ValidateId(id); !s.ok()) {
    respond(ProblemFromStatus(InvalidField("webhook_id", std::string(s.message())), "webhook_id"));
    return;
  }
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  absl::StatusOr<json::object> doc =
      WebhookDispatcher::ParseWebhook(*body, hooks->address_policy());
  if (RespondIfError(doc.status(), respond, "body")) return;
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(ctx.env->clock.Now()));
  storage::WriteBatch batch;
  batch.PutRecord(kWebhooksCollection, id, json::serialize(*doc), now);
  SubmitWrite(
      ctx, std::move(batch),
      [hooks, tenant = ctx.tenant(), id, doc = *doc, now](const storage::WriteResult& r) {
        hooks->OnWebhookStored(tenant, id, doc);
        const absl::Time created = r.created_at.empty() ? now : r.created_at.front();
        return JsonResponse(
            200, WebhookAnswer(*hooks, tenant, {id, json::serialize(doc), now, created}, true));
      },
      std::move(respond));
}

void GetWebhook(RequestContext& ctx, Respond respond) {
  WebhookDispatcher* hooks = HooksOrRespond(ctx, respond);
  if (hooks == nullptr) return;
  absl::StatusOr<storage::Record> r =
      ctx.env->store.GetRecord(ctx.tenant(), kWebhooksCollection, ctx.param("webhook_id"));
  if (RespondIfError(r.status(), respond, "webhook_id")) return;
  respond(JsonResponse(200, WebhookAnswer(*hooks, ctx.tenant(), *r, false)));
}

void ListWebhooks(RequestContext& ctx, Respond respond) {
  WebhookDispatcher* hooks = HooksOrRespond(ctx, respond);
  if (hooks == nullptr) return;
  auto page = ctx.env->store.ListRecords(ctx.tenant(), kWebhooksCollection,
                                         ctx.QueryString("cursor"), 1000);
  if (RespondIfError(page.status(), respond, "cursor")) return;
  RespondPage(respond, "webhooks", *page, [&](const storage::Record& r) {
    return WebhookAnswer(*hooks, ctx.tenant(), r, false);
  });
}

void DeleteWebhook(RequestContext& ctx, Respond respond) {
  WebhookDispatcher* hooks = HooksOrRespond(ctx, respond);
  if (hooks == nullptr) return;
  const std::string id = ctx.param("webhook_id");
  storage::WriteBatch batch;
  batch.DeleteRecord(kWebhooksCollection, id);
  SubmitWrite(
      ctx, std::move(batch),
      [hooks, tenant = ctx.tenant(), id](const storage::WriteResult& r) {
        hooks->OnWebhookDeleted(tenant, id);
        return DeletedOrNotFound(r.deleted, "webhook_id", "webhook");
      },
      std::move(respond), "webhook_id");
}

}  // namespace

void AddWebhookRoutes(Router& router, ServiceEnv& env) {
  router.Add("GET", "/v1/webhooks", Access::kAdmin, ListWebhooks);
  router.Add("PUT", "/v1/webhooks/{webhook_id}", Access::kAdmin, PutWebhook);
  router.Add("GET", "/v1/webhooks/{webhook_id}", Access::kAdmin, GetWebhook);
  router.Add("DELETE", "/v1/webhooks/{webhook_id}", Access::kAdmin, DeleteWebhook);
}

}  // namespace tailor::api
