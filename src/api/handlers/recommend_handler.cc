// What to show: recommendations, similar items, trending, personalized rank.
// Everything is computed from the tenant's in-memory serving state.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "common/rounding.h"
#include "common/strings.h"
#include "recommend/recommender.h"
#include "serving/engine.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

// `with_known`: each item says whether the tenant has it (rank answers).
json::object RecommendationToJson(const recommend::Recommendation& r, bool explain,
                                  bool with_known = false) {
  json::array items;
  for (const recommend::RecommendedItem& item : r.items) {
    // Scores are float sums whose scale depends on the model: 6 significant
    // digits keep their order and size without float noise (0.3, not
    // 0.30000001192092896).
    json::object o{{"item_id", item.item_id},
                   {"score", RoundSignificant(item.score, 6)},
                   {"strategy", item.strategy}};
    if (with_known) o["known"] = item.known;
    if (explain) {
      json::array reasons;
      for (const recommend::Reason& reason : item.reasons) {
        json::object x{{"type", reason.type}, {"text", reason.text}};
        if (!reason.item_id.empty()) x["item_id"] = reason.item_id;
        reasons.push_back(std::move(x));
      }
      o["reasons"] = std::move(reasons);
    }
    items.push_back(std::move(o));
  }
  return {{"decision_id", r.decision_id},
          {"model", r.model},
          {"model_version", r.model_version},
          {"items", std::move(items)}};
}

void GetRecommendations(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "recommendations");
  if (runtime == nullptr) return;
  recommend::RecommendRequest req;
  req.user_id = ctx.param("user_id");
  FieldErrors errors;
  auto take = [&](auto status_or, auto& into) {
    if (status_or.ok()) {
      into = *status_or;
    } else {
      errors.AddAllWithPrefix("", status_or.status());
    }
  };
  take(ctx.QueryInt("n", 10, 1, 500), req.n);
  take(ctx.QueryInt("offset", 0, 0, 10000), req.offset);
  take(ctx.QueryBool("include_seen", false), req.include_seen);
  take(ctx.QueryBool("explain", false), req.explain);
  take(ctx.QueryDouble("diversity", 0.0, 0.0, 1.0), req.diversity);
  req.category = ctx.QueryString("category");
  req.model = ctx.QueryString("model");
  std::string exclude = ctx.QueryString("exclude");
  size_t start = 0;
  while (start < exclude.size()) {
    size_t comma = exclude.find(',', start);
    if (comma == std::string::npos) comma = exclude.size();
    if (comma > start) req.exclude.push_back(exclude.substr(start, comma - start));
    start = comma + 1;
  }
  if (req.exclude.size() > 1000) errors.Add("exclude", "must list at most 1000 item ids");
  if (RespondIfError(errors.ToStatus(""), respond, "query")) return;
  recommend::Recommender recommender(*runtime, ctx.env->clock);
  absl::StatusOr<recommend::Recommendation> r = recommender.Recommend(req);
  if (RespondIfError(r.status(), respond, "query")) return;
  respond(JsonResponse(200, RecommendationToJson(*r, req.explain)));
}

// The `n` and `explain` query parameters of the list endpoints; answers with
// the problem and returns false when one is invalid.
bool ListParams(RequestContext& ctx, const Respond& respond, int* n, bool* explain) {
  absl::StatusOr<int> count = ctx.QueryInt("n", 10, 1, 500);
  if (RespondIfError(count.status(), respond, "n")) return false;
  absl::StatusOr<bool> with_reasons = ctx.QueryBool("explain", false);
  if (RespondIfError(with_reasons.status(), respond, "explain")) return false;
  *n = *count;
  *explain = *with_reasons;
  return true;
}

void GetSimilar(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "recommendations");
  if (runtime == nullptr) return;
  int n = 10;
  bool explain = false;
  if (!ListParams(ctx, respond, &n, &explain)) return;
  recommend::Recommender recommender(*runtime, ctx.env->clock);
  absl::StatusOr<recommend::Recommendation> r =
      recommender.Similar(ctx.param("item_id"), n, ctx.QueryString("category"), explain);
  if (RespondIfError(r.status(), respond, "item_id")) return;
  respond(JsonResponse(200, RecommendationToJson(*r, explain)));
}

void GetTrending(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "recommendations");
  if (runtime == nullptr) return;
  int n = 10;
  bool explain = false;
  if (!ListParams(ctx, respond, &n, &explain)) return;
  std::string window_text = ctx.QueryString("window");
  absl::StatusOr<absl::Duration> window =
      window_text.empty() ? absl::StatusOr<absl::Duration>(absl::Hours(24 * 7))
                          : recommend::ParseWindow(window_text);
  if (RespondIfError(window.status(), respond, "window")) return;
  recommend::Recommender recommender(*runtime, ctx.env->clock);
  absl::StatusOr<recommend::Recommendation> r =
      recommender.Trending(n, ctx.QueryString("category"), *window, explain);
  if (RespondIfError(r.status(), respond, "query")) return;
  respond(JsonResponse(200, RecommendationToJson(*r, explain)));
}

void PostRank(RequestContext& ctx, Respond respond) {
  serving::TenantRuntime* runtime = ServingRuntime(ctx, respond, "recommendations");
  if (runtime == nullptr) return;
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  FieldErrors errors;
  std::vector<std::string> candidates;
  bool explain = false;
  std::string model;
  if (!body->is_object()) {
    errors.Add("body", "must be an object {\"items\": [item ids]}");
  } else {
    for (const auto& [key, value] : body->get_object()) {
      if (key == "items") {
        if (!value.is_array() || value.get_array().empty() || value.get_array().size() > 1000) {
          errors.Add("items", "must be an array of 1 to 1000 item ids");
          continue;
        }
        const json::array& arr = value.get_array();
        for (size_t i = 0; i < arr.size(); ++i) {
          if (!arr[i].is_string() || arr[i].get_string().empty() ||
              arr[i].get_string().size() > 128) {
            errors.Add(StrCat("items[", i, "]"), "must be an item id (1 to 128 bytes)");
          } else {
            candidates.emplace_back(arr[i].get_string());
          }
        }
      } else if (key == "explain") {
        if (!value.is_bool()) {
          errors.Add("explain", "must be true or false");
        } else {
          explain = value.get_bool();
        }
      } else if (key == "model") {
        if (!value.is_string() || value.get_string().empty()) {
          errors.Add("model", "must be the name of a trained model");
        } else {
          model = value.get_string();
        }
      } else {
        errors.Add(std::string(key), "is not a known field");
      }
    }
    if (!body->get_object().contains("items")) errors.Add("items", "is required");
  }
  if (RespondIfError(errors.ToStatus(""), respond, "body")) return;
  recommend::Recommender recommender(*runtime, ctx.env->clock);
  absl::StatusOr<recommend::Recommendation> r =
      recommender.Rank(ctx.param("user_id"), candidates, explain, model);
  if (RespondIfError(r.status(), respond, "items")) return;
  respond(JsonResponse(200, RecommendationToJson(*r, explain, /*with_known=*/true)));
}

}  // namespace

void AddRecommendRoutes(Router& router, ServiceEnv& env) {
  // Before the item routes: "trending" is not an item id here.
  router.Add("GET", "/v1/items/trending", Access::kRead, GetTrending);
  router.Add("GET", "/v1/items/{item_id}/similar", Access::kRead, GetSimilar);
  router.Add("GET", "/v1/users/{user_id}/recommendations", Access::kRead, GetRecommendations);
  router.Add("POST", "/v1/users/{user_id}/rank", Access::kRead, PostRank);
}

}  // namespace tailor::api
