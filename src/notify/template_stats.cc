// Notifier: per-template statistics and stored decisions with their attribution.
#include <boost/json.hpp>

#include "models/decide/beta_posterior.h"
#include "notify/notifier.h"
#include "notify/tenant_notify.h"

namespace tailor::notify {

namespace json = boost::json;
using personalize::NotificationTemplate;
using personalize::TemplateVariant;

absl::StatusOr<json::object> Notifier::TemplateStats(domain::TenantId tenant,
                                                     std::string_view template_id) {
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return state.status();
  absl::StatusOr<std::shared_ptr<const NotificationTemplate>> t =
      Template(tenant, **state, template_id);
  if (!t.ok()) return t.status();
  absl::MutexLock lock(&(*state)->mu);
  json::array variants;
  for (const TemplateVariant& v : (*t)->variants) {
    VariantCounts c;
    if (auto it = (*state)->variant_counts.find({std::string(template_id), v.id});
        it != (*state)->variant_counts.end()) {
      c = it->second;
    }
    variants.push_back({{"variant_id", v.id},
                        {"tone", v.tone},
                        {"length", v.length},
                        {"sends", c.sends},
                        {"opens", c.opens},
                        {"clicks", c.clicks},
                        {"conversions", c.conversions}});
  }
  json::array arms;
  json::value snapshot = (*state)->bandit.Snapshot();
  for (const json::value& arm : snapshot.at("arms").get_array()) {
    if (arm.at("tenant").get_string() != template_id) continue;
    const decide::BetaPosterior open = *decide::BetaPosterior::FromJson(arm.at("open"));
    const decide::BetaPosterior click = *decide::BetaPosterior::FromJson(arm.at("click"));
    const decide::BetaPosterior conversion =
        *decide::BetaPosterior::FromJson(arm.at("conversion"));
    arms.push_back({{"segment", arm.at("segment")},
                    {"variant_id", arm.at("variant")},
                    {"open", {{"alpha", open.alpha}, {"beta", open.beta}, {"mean", Round4(open.Mean())}}},
                    {"click", {{"alpha", click.alpha}, {"beta", click.beta}, {"mean", Round4(click.Mean())}}},
                    {"conversion", {{"alpha", conversion.alpha}, {"beta", conversion.beta},
                                    {"mean", Round4(conversion.Mean())}}}});
  }
  json::object objective{{"metric", decide::ObjectiveName((*t)->objective)}};
  if (!(*t)->conversion_event.empty()) objective["conversion_event"] = (*t)->conversion_event;
  return json::object{{"template_id", template_id},
                      {"objective", std::move(objective)},
                      {"variants", std::move(variants)},
                      {"posteriors", std::move(arms)}};
}

absl::StatusOr<json::object> Notifier::GetDecision(domain::TenantId tenant, std::string_view id) {
  absl::StatusOr<json::object> doc = ReadRecord(store_, tenant, kDecisionsCollection, id, "decision");
  if (!doc.ok()) return doc.status();
  absl::StatusOr<TenantNotify*> state = Tenant(tenant);
  if (!state.ok()) return state.status();
  absl::MutexLock lock(&(*state)->mu);
  auto it = (*state)->decisions.find(std::string(id));
  (*doc)["attribution"] = {{"opened", it != (*state)->decisions.end() && it->second.opened},
                           {"clicked", it != (*state)->decisions.end() && it->second.clicked},
                           {"converted", it != (*state)->decisions.end() && it->second.converted}};
  return doc;
}

}  // namespace tailor::notify
