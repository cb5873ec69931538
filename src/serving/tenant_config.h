// A tenant's configuration of recommendations and insights — how much each
// event type weighs, the churn and engagement horizons — kept in the store
// (collection "settings", records "event_weights" and "insights"), so every
// node of a cluster reads the same. PUT /v1/settings/{name} writes them.
// Older deployments may keep the same JSON in files beside one node
// (<config dir>/<tenant>/event_weights.json, insights.json): a file is read
// only when the store holds no record.
//
//   absl::StatusOr<TenantConfig> c = LoadTenantConfig(store, tenant, dir, weights, insights);
//
// A node reads the configuration when it loads the tenant (at start); a
// change reaches a running node's insights at once (the change feed) and
// its event weights when it next starts, since the serving state is built
// with them.
#ifndef TAILOR_SERVING_TENANT_CONFIG_H_
#define TAILOR_SERVING_TENANT_CONFIG_H_

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "insights/activity_models.h"
#include "serving/event_weights.h"
#include "storage/store.h"

namespace tailor::serving {

inline constexpr char kSettingsCollection[] = "settings";
inline constexpr char kEventWeightsSetting[] = "event_weights";
inline constexpr char kInsightsSetting[] = "insights";

struct TenantConfig {
  EventWeights weights;
  insights::ActivityModelOptions insights;
  // Where each came from: "store", "file" or "default".
  std::string weights_source = "default";
  std::string insights_source = "default";
};

// `defaults` with the horizons of `json`, e.g. {"churn_horizon_days": 60,
// "engage_horizon_days": 14} (each 1..3650); InvalidArgument naming
// `where` and the field when it is malformed.
absl::StatusOr<insights::ActivityModelOptions> ParseInsightsSettings(
    const boost::json::object& json, const insights::ActivityModelOptions& defaults,
    std::string_view where);
boost::json::object InsightsSettingsToJson(const insights::ActivityModelOptions& options);

// `defaults` overridden by the tenant's insights.json in `dir`.
absl::StatusOr<insights::ActivityModelOptions> ReadTenantInsightsOptions(
    const std::string& dir, const insights::ActivityModelOptions& defaults);
// The tenant's event_weights.json in `dir`, if there is one; InvalidArgument
// when it is malformed (the tenant then fails to load rather than silently
// train on the defaults).
absl::StatusOr<std::optional<EventWeights>> ReadTenantWeights(const std::string& dir);

// The stored record, else the file in `dir` (may be empty), else the
// defaults. InvalidArgument when a record or file is malformed.
absl::StatusOr<TenantConfig> LoadTenantConfig(
    storage::Store& store, domain::TenantId tenant, const std::string& dir,
    const EventWeights& default_weights, const insights::ActivityModelOptions& default_insights);

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_TENANT_CONFIG_H_
