// POST /v1/ai/sentiment: sentiment of one text or up to 1,000, in the
// text's language (VADER for English, AFINN lists for other languages);
// no score for a language without a lexicon or that cannot be told.
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
  auto score = [&](double v) { return r.supported ? json::value(v) : json::value(nullptr); };
  json::object out{{"compound", score(r.scores.compound)},
                   {"positive", score(r.scores.positive)},
                   {"neutral", score(r.scores.neutral)},
                   {"negative", score(r.scores.negative)},
                   {"supported", r.supported},
                   {"language", r.language},
                   {"language_source", text::LanguageSourceName(r.language_source)}};
  if (r.supported) {
    out["method"] = text::SentimentMethodName(r.method);
  } else {
    out["reason"] = text::NoScoreReason(r);
  }
  return out;
}

void Sentiment(RequestContext& ctx, Respond respond) {
  const text::SentimentAnalyzer* analyzer = ctx.env->sentiment;
  if (analyzer == nullptr) {
    respond(ProblemFromStatus(
        absl::UnavailableError(
            "the sentiment lexicon is not installed (run scripts/install-deps.sh)"),
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
  // The caller's language, for every text of the request; absent or null:
  // each text's language is detected.
  std::string_view language;
  if (const json::value* tag = obj ? obj->if_contains("language") : nullptr;
      tag != nullptr && !tag->is_null()) {
    if (!tag->is_string() || !domain::ValidateLocale(tag->get_string()).ok()) {
      respond(ProblemFromStatus(
          InvalidField("language", "must be a BCP 47 language tag such as \"es\" or \"pt-BR\""),
          "language"));
      return;
    }
    language = tag->get_string();
  }
  if ((one == nullptr) == (many == nullptr)) {
    respond(ProblemFromStatus(
        InvalidField("text", "send either {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}"),
        "text"));
    return;
  }
  if (one != nullptr) {
    std::string_view text = check(*one, "text");
    if (RespondIfError(errors.ToStatus(""), respond, "text")) return;
    respond(JsonResponse(200, ResultToJson(analyzer->Analyze(text, language))));
    return;
  }
  if (!many->is_array() || many->get_array().empty() || many->get_array().size() > kMaxTexts) {
    respond(ProblemFromStatus(
        InvalidField("texts", StrCat("must be an array of 1 to ", kMaxTexts, " strings")),
        "texts"));
    return;
  }
  std::vector<std::string_view> texts;
  const json::array& arr = many->get_array();
  for (size_t i = 0; i < arr.size(); ++i) texts.push_back(check(arr[i], StrCat("texts[", i, "]")));
  if (RespondIfError(errors.ToStatus(""), respond, "texts")) return;
  json::array results;
  for (std::string_view t : texts) results.push_back(ResultToJson(analyzer->Analyze(t, language)));
  respond(JsonResponse(200, json::object{{"results", std::move(results)}}));
}

}  // namespace

void AddSentimentRoutes(Router& router, ServiceEnv& env) {
  router.Add("POST", "/v1/ai/sentiment", Access::kRead, Sentiment);
}

}  // namespace tailor::api
