// Notifier: outcomes attributed to decisions. An event whose
// context.decision_id names a stored, sent decision is attributed to it once
// per kind: notification_opened -> "opened", notification_clicked ->
// "clicked", and an event of the decision template's conversion_event type
// -> "converted" (docs/NOTIFICATIONS.md, "Objective").
#include <boost/json.hpp>

#include "common/strings.h"
#include "domain/validation.h"
#include "notify/notifier.h"
#include "notify/tenant_notify.h"

namespace tailor::notify {

namespace json = boost::json;

namespace {

// The decision id of an event that names one, else false.
bool DecisionIdOf(const domain::Event& e, std::string* decision_id) {
  const json::value* id = e.context.if_contains("decision_id");
  if (id == nullptr || !id->is_string()) return false;
  *decision_id = std::string(id->get_string());
  return true;
}

// "opened" / "clicked" / "converted" for an event attributable to `m`, else empty.
std::string_view AttributionKind(const domain::Event& e, const Memo& m) {
  if (e.type == "notification_opened") return "opened";
  if (e.type == "notification_clicked") return "clicked";
  if (!m.conversion_event.empty() && e.type == m.conversion_event) return "converted";
  return {};
}

bool Attributed(const Memo& m, std::string_view kind) {
  return kind == "opened" ? m.opened : kind == "clicked" ? m.clicked : m.converted;
}

}  // namespace

void Notifier::TenantNotify::ApplyAttributionLocked(Memo& m, std::string_view kind) {
  if (kind == "clicked") {
    ApplyClickLocked(m);
  } else if (kind == "converted") {
    ApplyConversionLocked(m);
  } else {
    ApplyOpenLocked(m);
  }
}

void Notifier::PrepareEvents(domain::TenantId tenant, std::vector<domain::Event>& events,
                             storage::WriteBatch& batch) {
  bool any = false;
  std::string id;
  for (const domain::Event& e : events) any = any || DecisionIdOf(e, &id);
  if (!any) return;
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return;
  absl::MutexLock lock(&(*state)->mu);
  for (domain::Event& e : events) {
    if (!DecisionIdOf(e, &id)) continue;
    auto it = (*state)->decisions.find(id);
    if (it == (*state)->decisions.end()) continue;
    const Memo& m = it->second;
    const std::string_view kind = AttributionKind(e, m);
    if (kind.empty()) continue;
    if (kind != "converted") {
      // The profile learns channel, tone and length from these fields.
      auto fill = [&](const char* key, std::string_view value) {
        if (!value.empty() && !e.context.contains(key)) e.context[key] = value;
      };
      fill("channel", decide::ChannelName(m.channel));
      fill("tone", m.tone);
      fill("length", m.length);
      fill("template_id", m.template_id);
      fill("variant_id", m.variant_id);
    }
    if (!Attributed(m, kind)) {
      batch.PutRecord(kAttributionsCollection, StrCat(id, "/", kind),
                      json::serialize(json::object{{"event_type", e.type},
                                                   {"at", domain::FormatRfc3339(e.timestamp)}}),
                      clock_.Now());
    }
  }
}

void Notifier::OnEventsCommitted(domain::TenantId tenant, const std::vector<domain::Event>& events,
                                 const std::vector<int64_t>& duplicates) {
  std::string id;
  TenantNotify* state = nullptr;
  size_t dup = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    while (dup < duplicates.size() && duplicates[dup] < static_cast<int64_t>(i)) ++dup;
    if (dup < duplicates.size() && duplicates[dup] == static_cast<int64_t>(i)) continue;
    if (!DecisionIdOf(events[i], &id)) continue;
    if (state == nullptr) {
      absl::StatusOr<TenantNotify*> s = Tenant(tenant);
      if (!s.ok()) return;
      state = *s;
    }
    absl::MutexLock lock(&state->mu);
    auto it = state->decisions.find(id);
    if (it == state->decisions.end()) continue;
    const std::string_view kind = AttributionKind(events[i], it->second);
    if (!kind.empty()) state->ApplyAttributionLocked(it->second, kind);
  }
}

}  // namespace tailor::notify
