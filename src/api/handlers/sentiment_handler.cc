// POST /v1/ai/sentiment: VADER-style sentiment of one text or up to 1,000.
#include <boost/json.hpp>

#include "api/handlers/handlers.h"
#include "common/strings.h"
#include "domain/validation.h"
#include "models/text/sentiment_analyzer.h"

namespace tailor::api {

namespace json = boost::json;

namespace {

constexpr size_t kMaxTexts = 1000;
constexpr size_t kMaxTextBytes = 16 * 1024;

json::object ResultToJson(const text::SentimentResult& r) {
  return json::object{{"compound", r.scores.compound},
                      {"positive", r.scores.positive},
                      {"neutral", r.scores.neutral},
                      {"negative", r.scores.negative},
                      {"language", r.language},
                      {"language_unsupported", r.language_unsupported}};
}

void Sentiment(RequestContext& ctx, Respond respond) {
  const text::SentimentAnalyzer* analyzer = ctx.env->sentiment;
  if (analyzer == nullptr) {
    respond(ProblemFromStatus(
        absl::UnavailableError("the sentiment lexicon is not installed (run scripts/install-deps.sh)"),
        "lexicon"));
    return;
  }
  absl::StatusOr<json::value> body = ctx.JsonBody();
  if (RespondIfError(body.status(), respond, "body")) return;
  FieldErrors errors;
  auto check = [&](const json::value& v, const std::string& field) -> std::string_view {
    if (!v.is_string()) {
      errors.Add(field, "must be a string");
    } else if (v.get_string().size() > kMaxTextBytes) {
      errors.Add(field, StrCat("must be at most ", kMaxTextBytes, " bytes"));
    } else if (!domain::IsValidUtf8(v.get_string())) {
      errors.Add(field, "must be valid UTF-8");
    } else {
      return v.get_string();
    }
    return {};
  };
  const json::object* obj = body->is_object() ? &body->get_object() : nullptr;
  const json::value* one = obj ? obj->if_contains("text") : nullptr;
  const json::value* many = obj ? obj->if_contains("texts") : nullptr;
  if ((one == nullptr) == (many == nullptr)) {
    respond(ProblemFromStatus(
        InvalidField("text", "send either {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}"),
        "text"));
    return;
  }
  if (one != nullptr) {
    std::string_view text = check(*one, "text");
    if (RespondIfError(errors.ToStatus(""), respond, "text")) return;
    respond(JsonResponse(200, ResultToJson(analyzer->Analyze(text))));
    return;
  }
  if (!many->is_array() || many->get_array().empty() || many->get_array().size() > kMaxTexts) {
    respond(ProblemFromStatus(
        InvalidField("texts", StrCat("must be an array of 1 to ", kMaxTexts, " strings")), "texts"));
    return;
  }
  std::vector<std::string_view> texts;
  const json::array& arr = many->get_array();
  for (size_t i = 0; i < arr.size(); ++i) texts.push_back(check(arr[i], StrCat("texts[", i, "]")));
  if (RespondIfError(errors.ToStatus(""), respond, "texts")) return;
  json::array results;
  for (std::string_view t : texts) results.push_back(ResultToJson(analyzer->Analyze(t)));
  respond(JsonResponse(200, json::object{{"results", std::move(results)}}));
}

}  // namespace

void AddSentimentRoutes(Router& router, ServiceEnv& env) {
  router.Add("POST", "/v1/ai/sentiment", Access::kRead, Sentiment);
}

}  // namespace tailor::api
