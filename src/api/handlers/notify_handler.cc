// How to notify each user: templates (PUT/GET/DELETE /v1/templates/{id},
// their statistics), the tenant's notification settings, and decisions
// (POST /v1/notifications/decide, GET /v1/notifications/decisions/{id}), and
// campaigns (POST /v1/campaigns, progress, JSON-lines results).
//
// Queues: real-time decisions are bounded by kMaxDecisionsInFlight (503 with
// Retry-After beyond), writes by the store's writer queue (429), campaigns by
// the batch queue of the CampaignRunner (429).
// Templates and settings are records of the store; decisions are made by
// notify::Notifier and stored before they are answered.
#include <atomic>
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "common/json_text.h"
#include "common/strings.h"
#include "domain/validation.h"
#include "notify/campaign_runner.h"
#include "notify/notifier.h"
#include "personalize/notification_template.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

constexpr int kMaxDecisionsInFlight = 256;

notify::Notifier* NotifierOrRespond(RequestContext& ctx, const Respond& respond) {
  if (ctx.env->notifier == nullptr) {
    respond(ProblemFromStatus(absl::UnavailableError("notification decisions are not enabled"),
                              "notifier"));
  }
  return ctx.env->notifier;
}

json::object TemplateAnswer(const storage::Record& r) {
  boost::system::error_code ec;
  json::value doc = json::parse(r.doc, ec);
  json::object out = doc.is_object() ? doc.get_object() : json::object();
  out["id"] = r.id;
  out["created_at"] = domain::FormatRfc3339(r.created_at);
  out["updated_at"] = domain::FormatRfc3339(r.updated_at);
  return out;
}

void PutTemplate(RequestContext& ctx, Respond respond) {
  notify::Notifier* notifier = NotifierOrRespond(ctx, respond);
  if (notifier == nullptr) return;
  const std::string id = ctx.param("template_id");
  if (absl::Status s = domain::ValidateId(id); !s.ok()) {
    respond(
        ProblemFromStatus(InvalidField("template_id", std::string(s.message())), "template_id"));
    return;
  }
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  absl::StatusOr<personalize::NotificationTemplate> parsed =
      personalize::ParseNotificationTemplate(*body, id);
  if (RespondIfError(parsed.status(), respond, "body")) return;
  json::object doc = parsed->source;
  doc.erase("id");
  doc.erase("updated_at");
  doc.erase("created_at");
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(ctx.env->clock.Now()));
  storage::WriteBatch batch;
  batch.PutRecord(notify::kTemplatesCollection, id, json::serialize(doc), now);
  SubmitWrite(
      ctx, std::move(batch),
      [notifier, tenant = ctx.tenant(), id, doc, now](const storage::WriteResult& r) {
        notifier->ForgetTemplate(tenant, id);
        const absl::Time created = r.created_at.empty() ? now : r.created_at.front();
        return JsonResponse(200, TemplateAnswer({id, json::serialize(doc), now, created}));
      },
      std::move(respond));
}

void GetTemplate(RequestContext& ctx, Respond respond) {
  absl::StatusOr<storage::Record> r = ctx.env->store.GetRecord(
      ctx.tenant(), notify::kTemplatesCollection, ctx.param("template_id"));
  if (RespondIfError(r.status(), respond, "template_id")) return;
  respond(JsonResponse(200, TemplateAnswer(*r)));
}

void ListTemplates(RequestContext& ctx, Respond respond) {
  absl::StatusOr<int> limit = ctx.QueryInt("limit", 100, 1, 1000);
  if (RespondIfError(limit.status(), respond, "limit")) return;
  auto page = ctx.env->store.ListRecords(ctx.tenant(), notify::kTemplatesCollection,
                                         ctx.QueryString("cursor"), *limit);
  if (RespondIfError(page.status(), respond, "cursor")) return;
  RespondPage(respond, "templates", *page, TemplateAnswer);
}

void DeleteTemplate(RequestContext& ctx, Respond respond) {
  notify::Notifier* notifier = NotifierOrRespond(ctx, respond);
  if (notifier == nullptr) return;
  const std::string id = ctx.param("template_id");
  storage::WriteBatch batch;
  batch.DeleteRecord(notify::kTemplatesCollection, id);
  SubmitWrite(
      ctx, std::move(batch),
      [notifier, tenant = ctx.tenant(), id](const storage::WriteResult& r) {
        notifier->ForgetTemplate(tenant, id);
        return DeletedOrNotFound(r.deleted, "template_id", "template");
      },
      std::move(respond), "template_id");
}

void GetTemplateStats(RequestContext& ctx, Respond respond) {
  notify::Notifier* notifier = NotifierOrRespond(ctx, respond);
  if (notifier == nullptr) return;
  absl::StatusOr<json::object> stats =
      notifier->TemplateStats(ctx.tenant(), ctx.param("template_id"));
  if (RespondIfError(stats.status(), respond, "template_id")) return;
  respond(JsonResponse(200, *stats));
}

void GetSettings(RequestContext& ctx, Respond respond) {
  notify::Notifier* notifier = NotifierOrRespond(ctx, respond);
  if (notifier == nullptr) return;
  absl::StatusOr<notify::NotifySettings> s = notifier->Settings(ctx.tenant());
  if (RespondIfError(s.status(), respond, "tenant")) return;
  respond(JsonResponse(200, notify::NotifySettingsToJson(*s)));
}

void PutSettings(RequestContext& ctx, Respond respond) {
  notify::Notifier* notifier = NotifierOrRespond(ctx, respond);
  if (notifier == nullptr) return;
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  absl::StatusOr<notify::NotifySettings> settings = notify::ParseNotifySettings(*body);
  if (RespondIfError(settings.status(), respond, "body")) return;
  json::object answer = notify::NotifySettingsToJson(*settings);
  storage::WriteBatch batch;
  batch.PutRecord(notify::kSettingsCollection, notify::kSettingsRecordId, json::serialize(answer),
                  ctx.env->clock.Now());
  SubmitWrite(
      ctx, std::move(batch),
      // The change feed applies the settings on every node (this
      // one before the answer).
      [answer](const storage::WriteResult&) { return JsonResponse(200, answer); },
      std::move(respond));
}

void Decide(RequestContext& ctx, Respond respond) {
  notify::Notifier* notifier = NotifierOrRespond(ctx, respond);
  if (notifier == nullptr) return;
  // The real-time queue: decisions being made or committed.
  static std::atomic<int> in_flight{0};
  if (in_flight.fetch_add(1) >= kMaxDecisionsInFlight) {
    in_flight.fetch_sub(1);
    respond(ProblemFromStatus(absl::UnavailableError("too many decisions in flight; retry shortly"),
                              "body"));
    return;
  }
  respond = [respond = std::move(respond)](HttpResponse res) {
    in_flight.fetch_sub(1);
    respond(std::move(res));
  };
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  absl::StatusOr<notify::DecideRequest> request = notify::ParseDecideRequest(*body);
  if (RespondIfError(request.status(), respond, "body")) return;
  absl::StatusOr<notify::Decision> decision = notifier->Decide(ctx.tenant(), *request);
  if (!decision.ok()) {
    // NotFound is about the user, the template or the item named in the body.
    std::string_view field = "body";
    const std::string_view message = View(decision.status().message());
    if (absl::IsNotFound(decision.status())) {
      field = message.starts_with("user")   ? "user_id"
              : message.starts_with("item") ? "item_id"
                                            : "template_id";
    }
    respond(ProblemFromStatus(decision.status(), field));
    return;
  }
  if (decision->dry_run) {
    respond(JsonResponse(200, decision->answer));
    return;
  }
  storage::WriteBatch batch;
  notifier->AddDecisionWrite(ctx.tenant(), *decision, batch);
  // Answered once this node applied the decision (read-your-writes); `then`
  // runs just before.
  auto answer = [feed = ctx.env->feed, respond](json::object answer, int64_t position,
                                                std::function<void()> then) {
    auto send = [respond, answer = std::move(answer), then = std::move(then)] {
      if (then) then();
      respond(JsonResponse(200, answer));
    };
    if (feed != nullptr && position > 0) {
      feed->WhenDelivered(position, std::move(send));
    } else {
      send();
    }
  };
  ctx.env->store.Write(
      ctx.tenant(), std::move(batch),
      [notifier, tenant = ctx.tenant(), request = *std::move(request),
       decision = *std::move(decision), answer, respond](absl::StatusOr<storage::WriteResult> r) {
        if (r.ok()) {
          answer(decision.answer, r->change_position,
                 [notifier, tenant, decision] { notifier->OnDecisionCommitted(tenant, decision); });
          return;
        }
        notifier->OnDecisionFailed(tenant, decision);
        if (!absl::IsAborted(r.status())) {
          respond(ProblemFromStatus(r.status(), "body"));
          return;
        }
        // Another node sent to this user meanwhile: decided again, off the
        // store's writer thread, once that send counts against the caps.
        notifier->DecideAndCommitLater(
            tenant, request,
            [answer, respond](absl::StatusOr<notify::Decision> d, int64_t position) {
              if (!d.ok()) {
                respond(ProblemFromStatus(d.status(), "body"));
                return;
              }
              answer(d->answer, position, nullptr);
            });
      });
}

void GetDecision(RequestContext& ctx, Respond respond) {
  notify::Notifier* notifier = NotifierOrRespond(ctx, respond);
  if (notifier == nullptr) return;
  absl::StatusOr<json::object> d = notifier->GetDecision(ctx.tenant(), ctx.param("decision_id"));
  if (RespondIfError(d.status(), respond, "decision_id")) return;
  respond(JsonResponse(200, *d));
}

notify::CampaignRunner* CampaignsOrRespond(RequestContext& ctx, const Respond& respond) {
  if (ctx.env->campaigns == nullptr) {
    respond(ProblemFromStatus(absl::UnavailableError("campaigns are not enabled"), "campaigns"));
  }
  return ctx.env->campaigns;
}

void PostCampaign(RequestContext& ctx, Respond respond) {
  notify::CampaignRunner* campaigns = CampaignsOrRespond(ctx, respond);
  if (campaigns == nullptr) return;
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  absl::StatusOr<json::object> c = campaigns->Submit(ctx.tenant(), *body);
  if (RespondIfError(c.status(), respond, absl::IsNotFound(c.status()) ? "template_id" : "body")) {
    return;
  }
  respond(JsonResponse(202, *c));
}

void GetCampaign(RequestContext& ctx, Respond respond) {
  notify::CampaignRunner* campaigns = CampaignsOrRespond(ctx, respond);
  if (campaigns == nullptr) return;
  absl::StatusOr<json::object> c = campaigns->Get(ctx.tenant(), ctx.param("campaign_id"));
  if (RespondIfError(c.status(), respond, "campaign_id")) return;
  respond(JsonResponse(200, *c));
}

void GetCampaignResults(RequestContext& ctx, Respond respond) {
  notify::CampaignRunner* campaigns = CampaignsOrRespond(ctx, respond);
  if (campaigns == nullptr) return;
  HttpResponse res;
  res.content_type = "application/x-ndjson";
  absl::Status s =
      campaigns->Results(ctx.tenant(), ctx.param("campaign_id"), [&](const std::string& line) {
        // Stored lines may hold numbers in exponent
        // form: written again like every answer.
        boost::system::error_code ec;
        json::value v = json::parse(line, ec);
        res.body += ec ? line : JsonText(v);
        res.body += '\n';
      });
  if (RespondIfError(s, respond, "campaign_id")) return;
  respond(std::move(res));
}

}  // namespace

void AddNotifyRoutes(Router& router, ServiceEnv& env) {
  router.Add("GET", "/v1/templates", Access::kRead, ListTemplates);
  router.Add("PUT", "/v1/templates/{template_id}", Access::kWrite, PutTemplate);
  router.Add("GET", "/v1/templates/{template_id}", Access::kRead, GetTemplate);
  router.Add("DELETE", "/v1/templates/{template_id}", Access::kWrite, DeleteTemplate);
  router.Add("GET", "/v1/templates/{template_id}/stats", Access::kRead, GetTemplateStats);
  router.Add("GET", "/v1/notifications/settings", Access::kRead, GetSettings);
  router.Add("PUT", "/v1/notifications/settings", Access::kAdmin, PutSettings);
  router.Add("POST", "/v1/notifications/decide", Access::kWrite, Decide);
  router.Add("GET", "/v1/notifications/decisions/{decision_id}", Access::kRead, GetDecision);
  router.Add("POST", "/v1/campaigns", Access::kWrite, PostCampaign);
  router.Add("GET", "/v1/campaigns/{campaign_id}", Access::kRead, GetCampaign);
  router.Add("GET", "/v1/campaigns/{campaign_id}/results", Access::kRead, GetCampaignResults);
}

}  // namespace tailor::api
