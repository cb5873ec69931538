// POST /v1/events: one event, or {"events": [...]} with up to 10,000.
// Answers only after the events are committed.
#include <algorithm>
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "api/webhooks.h"
#include "common/metrics.h"
#include "common/strings.h"
#include "domain/event.h"
#include "notify/notifier.h"
#include "serving/engine.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

constexpr size_t kMaxBatchEvents = 10000;

void PostEvents(RequestContext& ctx, Respond respond) {
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  if (!body->is_object()) {
    respond(ProblemFromStatus(
        InvalidField("body", "must be an event object or {\"events\": [...]}"), "body"));
    return;
  }
  absl::Time now = ctx.env->clock.Now();
  std::vector<domain::Event> events;
  FieldErrors errors;
  const json::object& obj = body->get_object();
  if (const json::value* list = obj.if_contains("events")) {
    if (!list->is_array()) {
      errors.Add("events", "must be an array of events");
    } else if (list->get_array().empty() || list->get_array().size() > kMaxBatchEvents) {
      errors.Add("events", StrCat("must hold 1 to ", kMaxBatchEvents, " events"));
    } else if (obj.size() != 1) {
      errors.Add("events", "a batch body holds only \"events\"");
    } else {
      const json::array& arr = list->get_array();
      events.reserve(arr.size());
      for (size_t i = 0; i < arr.size(); ++i) {
        absl::StatusOr<domain::Event> e = domain::ParseEvent(arr[i], now);
        if (!e.ok()) {
          errors.AddAllWithPrefix(StrCat("events[", i, "]"), e.status());
        } else {
          events.push_back(std::move(*e));
        }
      }
    }
  } else {
    absl::StatusOr<domain::Event> e = domain::ParseEvent(*body, now);
    if (!e.ok()) {
      errors.AddAllWithPrefix("", e.status());
    } else {
      events.push_back(std::move(*e));
    }
  }
  if (RespondIfError(errors.ToStatus(""), respond, "body")) return;
  // Serving state, profiles and the notifier apply the events from the
  // change feed once they are durable (profiles read context and text too,
  // so the events are kept whole); the answer waits for that. Notification
  // opens and clicks carrying a decision_id are attributed to it in the same
  // write (attribution records; their context gains the decision's channel,
  // tone and length, which the profile learns from).
  storage::WriteBatch batch;
  notify::Notifier* notifier = ctx.env->notifier;
  if (notifier != nullptr) notifier->PrepareEvents(ctx.tenant(), events, batch);
  // The users whose profiles change: profiles.updated webhook deliveries,
  // stored with the events (the webhook outbox).
  if (WebhookDispatcher* webhooks = ctx.env->webhooks; webhooks != nullptr) {
    std::vector<std::string> users;
    users.reserve(events.size());
    for (const domain::Event& e : events) users.push_back(e.user_id);
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    webhooks->AddProfilesUpdated(ctx.tenant(), users, batch);
  }
  batch.AppendEvents(std::move(events));
  static Counter& ingested =
      MetricsRegistry::Default().GetCounter("tailor_events_ingested_total", "Events newly stored");
  static Counter& duplicates = MetricsRegistry::Default().GetCounter(
      "tailor_events_duplicate_total", "Events dropped as retries of a stored event_id");
  SubmitWrite(
      ctx, std::move(batch),
      [](const storage::WriteResult& r) {
        ingested.Increment(r.events_accepted);
        duplicates.Increment(r.events_duplicate);
        return JsonResponse(
            200, json::object{{"accepted", r.events_accepted}, {"duplicates", r.events_duplicate}});
      },
      std::move(respond));
}

}  // namespace

void AddEventRoutes(Router& router, ServiceEnv& env) {
  router.Add("POST", "/v1/events", Access::kWrite, PostEvents);
}

}  // namespace tailor::api
