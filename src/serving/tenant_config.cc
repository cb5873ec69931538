#include "serving/tenant_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace tailor::serving {

namespace json = boost::json;

namespace {

// The JSON object in `dir`/`name`: nullopt when there is no such file,
// InvalidArgument when it is not an object.
absl::StatusOr<std::optional<json::object>> ReadTenantJson(const std::string& dir,
                                                           const char* name) {
  if (dir.empty()) return std::optional<json::object>();
  std::filesystem::path path = std::filesystem::path(dir) / name;
  std::ifstream in(path);
  if (!in) return std::optional<json::object>();
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(text.str(), ec);
  if (ec || !doc.is_object()) {
    return absl::InvalidArgumentError(StrCat(path.string(), " is not a JSON object"));
  }
  return std::optional<json::object>(std::move(doc.get_object()));
}

// The tenant's settings record `id`: nullopt when absent.
absl::StatusOr<std::optional<json::object>> StoredSetting(storage::Store& store,
                                                          domain::TenantId tenant, const char* id) {
  absl::StatusOr<storage::Record> r = store.GetRecord(tenant, kSettingsCollection, id);
  if (absl::IsNotFound(r.status())) return std::optional<json::object>();
  if (!r.ok()) return r.status();
  boost::system::error_code ec;
  json::value doc = json::parse(r->doc, ec);
  if (ec || !doc.is_object()) {
    return absl::InvalidArgumentError(StrCat("settings record ", id, " is not a JSON object"));
  }
  return std::optional<json::object>(std::move(doc.get_object()));
}

}  // namespace

absl::StatusOr<insights::ActivityModelOptions> ParseInsightsSettings(
    const json::object& json, const insights::ActivityModelOptions& defaults,
    std::string_view where) {
  insights::ActivityModelOptions options = defaults;
  for (const auto& [key, value] : json) {
    absl::Duration* target = key == "churn_horizon_days"    ? &options.churn_horizon
                             : key == "engage_horizon_days" ? &options.engage_horizon
                                                            : nullptr;
    const std::string field = where.empty() ? std::string(key) : StrCat(where, ": ", View(key));
    if (target == nullptr) return absl::InvalidArgumentError(StrCat(field, ": unknown field"));
    if (!value.is_number() ||
        !(value.to_number<double>() >= 1 && value.to_number<double>() <= 3650)) {
      return absl::InvalidArgumentError(StrCat(field, ": must be a number of days from 1 to 3650"));
    }
    *target = absl::Seconds(value.to_number<double>() * 86400);
  }
  return options;
}

json::object InsightsSettingsToJson(const insights::ActivityModelOptions& options) {
  return {{"churn_horizon_days", absl::ToDoubleHours(options.churn_horizon) / 24},
          {"engage_horizon_days", absl::ToDoubleHours(options.engage_horizon) / 24}};
}

absl::StatusOr<insights::ActivityModelOptions> ReadTenantInsightsOptions(
    const std::string& dir, const insights::ActivityModelOptions& defaults) {
  absl::StatusOr<std::optional<json::object>> doc = ReadTenantJson(dir, "insights.json");
  if (!doc.ok()) return doc.status();
  if (!*doc) return defaults;
  return ParseInsightsSettings(**doc, defaults, StrCat(dir, "/insights.json"));
}

absl::StatusOr<std::optional<EventWeights>> ReadTenantWeights(const std::string& dir) {
  absl::StatusOr<std::optional<json::object>> doc = ReadTenantJson(dir, "event_weights.json");
  if (!doc.ok()) return doc.status();
  if (!*doc) return std::optional<EventWeights>();
  const std::string path = (std::filesystem::path(dir) / "event_weights.json").string();
  absl::StatusOr<EventWeights> w = EventWeights::FromJson(**doc);
  if (!w.ok()) {
    return absl::InvalidArgumentError(StrCat(path, ": ", View(w.status().ToString())));
  }
  return std::optional<EventWeights>(std::move(*w));
}

absl::StatusOr<TenantConfig> LoadTenantConfig(
    storage::Store& store, domain::TenantId tenant, const std::string& dir,
    const EventWeights& default_weights, const insights::ActivityModelOptions& default_insights) {
  TenantConfig config{default_weights, default_insights};
  absl::StatusOr<std::optional<json::object>> weights =
      StoredSetting(store, tenant, kEventWeightsSetting);
  if (!weights.ok()) return weights.status();
  if (*weights) {
    absl::StatusOr<EventWeights> w = EventWeights::FromJson(**weights);
    if (!w.ok()) {
      return absl::InvalidArgumentError(
          StrCat("settings record event_weights: ", View(w.status().message())));
    }
    config.weights = std::move(*w);
    config.weights_source = "store";
  } else {
    absl::StatusOr<std::optional<EventWeights>> file = ReadTenantWeights(dir);
    if (!file.ok()) return file.status();
    if (*file) {
      config.weights = std::move(**file);
      config.weights_source = "file";
    }
  }
  absl::StatusOr<std::optional<json::object>> horizons =
      StoredSetting(store, tenant, kInsightsSetting);
  if (!horizons.ok()) return horizons.status();
  if (*horizons) {
    absl::StatusOr<insights::ActivityModelOptions> o =
        ParseInsightsSettings(**horizons, default_insights, "settings record insights");
    if (!o.ok()) return o.status();
    config.insights = *o;
    config.insights_source = "store";
  } else {
    absl::StatusOr<insights::ActivityModelOptions> o =
        ReadTenantInsightsOptions(dir, default_insights);
    if (!o.ok()) return o.status();
    if (!dir.empty() && std::filesystem::exists(std::filesystem::path(dir) / "insights.json")) {
      config.insights_source = "file";
    }
    config.insights = *o;
  }
  return config;
}

}  // namespace tailor::serving
