// Who the user is becoming: living profiles, the tenant overview, segments
// of users by churn risk and engagement, and the models behind the scores.
// Everything is read from the tenant's in-memory ProfileStore.
#include <algorithm>
#include <numeric>

#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "common/rounding.h"
#include "serving/engine.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

constexpr int kTopItems = 10;

void GetProfile(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "profiles");
  if (runtime == nullptr) return;
  absl::StatusOr<json::object> profile = runtime->profiles.Profile(ctx.param("user_id"));
  if (RespondIfError(profile.status(), respond, "user_id")) return;
  respond(JsonResponse(200, *profile));
}

// The most interacted-with catalogue items of all time.
json::array TopItems(const serving::TenantRuntime& runtime) {
  std::vector<float> popularity = runtime.state.Popularity();
  std::vector<int32_t> order(popularity.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t k = std::min<size_t>(kTopItems, order.size());
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int32_t a, int32_t b) {
    return popularity[a] > popularity[b] || (popularity[a] == popularity[b] && a < b);
  });
  json::array out;
  runtime.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
    for (size_t i = 0; i < k && popularity[order[i]] > 0; ++i) {
      const serving::ItemInfo& item = items[order[i]];
      out.push_back({{"item_id", item.id}, {"title", item.title}, {"weight", popularity[order[i]]}});
    }
  });
  return out;
}

void GetOverview(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "insights");
  if (runtime == nullptr) return;
  json::object overview = runtime->profiles.Overview();
  overview["top_items"] = TopItems(*runtime);
  // Fitted parameters and diagnostics carry float noise past 6 digits.
  json::value answer = std::move(overview);
  RoundNumbers(answer, 6);
  respond(JsonResponse(200, answer));
}

void GetSegment(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "insights");
  if (runtime == nullptr) return;
  insights::SegmentQuery query;
  FieldErrors errors;
  // Stores a parsed parameter, or collects its error (each names its field).
  auto take = [&](auto status_or, auto& into) {
    if (status_or.ok()) {
      into = *status_or;
    } else {
      errors.AddAllWithPrefix("", status_or.status());
    }
  };
  // The two filters apply only when given.
  if (!ctx.QueryString("churn_risk_min").empty()) {
    take(ctx.QueryDouble("churn_risk_min", 0.0, 0.0, 1.0), query.churn_risk_min);
  }
  if (!ctx.QueryString("engagement_max").empty()) {
    take(ctx.QueryDouble("engagement_max", 100.0, 0.0, 100.0), query.engagement_max);
  }
  take(ctx.QueryInt("limit", 50, 1, 1000), query.limit);
  take(ctx.QueryInt("cursor", 0, 0, std::numeric_limits<int>::max()), query.cursor);
  if (RespondIfError(errors.ToStatus(""), respond, "query")) return;
  respond(JsonResponse(200, runtime->profiles.Users(query)));
}

void GetInsightModels(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "insights");
  if (runtime == nullptr) return;
  std::shared_ptr<const insights::ActivityModels> m = runtime->profiles.models();
  json::value answer = m ? m->ToJson() : json::object{{"churn", nullptr},
                                                       {"engagement", nullptr},
                                                       {"lifetime_value", nullptr},
                                                       {"notes", json::array{"not fitted yet"}}};
  RoundNumbers(answer, 6);
  respond(JsonResponse(200, answer));
}

}  // namespace

void AddInsightsRoutes(Router& router, ServiceEnv&) {
  router.Add("GET", "/v1/users/{user_id}/profile", Access::kRead, GetProfile);
  router.Add("GET", "/v1/insights/overview", Access::kRead, GetOverview);
  router.Add("GET", "/v1/insights/users", Access::kRead, GetSegment);
  router.Add("GET", "/v1/insights/models", Access::kRead, GetInsightModels);
}

}  // namespace tailor::api
