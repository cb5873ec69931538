// Notification decisions end to end over real HTTP: templates uploaded and
// rejected, rendering in two locales, SMS segmentation, consent, quiet hours,
// frequency caps, the safe default below the quality threshold, and opens
// attributed through context.decision_id updating the bandit.
#include <gtest/gtest.h>

#include <unistd.h>

#include <ctime>
#include <string>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

// RFC 3339 of the next day at `hour`:00 UTC (from now), plus `plus_hours`.
std::string Tomorrow(int hour, int plus_hours = 0) {
  std::time_t t = std::time(nullptr) + 86400;
  std::tm tm = *std::gmtime(&t);
  tm.tm_hour = hour;
  tm.tm_min = 0;
  tm.tm_sec = 0;
  std::time_t at = timegm(&tm) + plus_hours * 3600;
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&at));
  return buf;
}

class NotifyE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = CreateKey(dir_.path(), "shop", "write");
    admin_ = CreateKey(dir_.path(), "shop", "admin");
    server_ = std::make_unique<ServerProcess>(dir_.path(),
                                              std::vector<std::string>{"--train-models", "popularity"});
    port_ = server_->port();
  }
  HttpResult Call(const std::string& method, const std::string& target, const std::string& body = "",
                  const std::string& key = "") {
    return Http(port_, method, target, body, key.empty() ? key_ : key);
  }
  void Put(const std::string& target, const std::string& body, const std::string& key = "") {
    HttpResult r = Call("PUT", target, body, key);
    ASSERT_EQ(r.status, 200) << target << ": " << r.body;
  }
  json::object Decide(const std::string& body) {
    HttpResult r = Call("POST", "/v1/notifications/decide", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : json::object();
  }
  static std::string Suppressed(const json::object& d) {
    if (!d.contains("suppressed") || d.at("suppressed").is_null()) return "";
    return std::string(d.at("suppressed").at("reason").as_string());
  }

  TempDir dir_;
  std::string key_, admin_;
  std::unique_ptr<ServerProcess> server_;
  uint16_t port_ = 0;
};

constexpr char kOrderTemplate[] = R"({
  "locale": "en-US",
  "variants": [
    {"id": "friendly", "tone": "friendly", "length": "short",
     "email": {"subject": "{{user.first_name}}, your total is {{total | currency:\"EUR\"}}",
               "body": "<p>Hi {{user.first_name}}</p>"},
     "sms": {"text": "{{user.first_name}}: {{total | number:2}} {{note | default:\"\"}}"},
     "push": {"title": "Hi {{user.first_name | upper}}", "body": "{{total | currency:\"EUR\"}}"}}]})";

TEST_F(NotifyE2eTest, TemplatesRenderPerLocaleAndBadTemplatesAreRejected) {
  Put("/v1/templates/order", kOrderTemplate);
  HttpResult got = Call("GET", "/v1/templates/order");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json().at("variants").as_array().size(), 1u);

  Put("/v1/users/de", R"({"locale": "de-DE", "timezone": "Europe/Berlin", "email": "de@example.com",
      "attributes": {"first_name": "Jürgen"}, "consent": {"email": {"marketing": true}}})");
  Put("/v1/users/us", R"({"locale": "en-US", "timezone": "America/New_York", "email": "us@example.com",
      "attributes": {"first_name": "Amy"}, "consent": {"email": {"marketing": true}}})");
  const std::string ask = R"(", "template_id": "order", "channels": ["email"], "context": {"total": 1234.5}, "dry_run": true})";
  json::object de = Decide(R"({"user_id": "de)" + ask);
  json::object us = Decide(R"({"user_id": "us)" + ask);
  ASSERT_EQ(Suppressed(de), "") << json::serialize(de);
  const std::string de_subject(de.at("content").at("subject").as_string());
  const std::string us_subject(us.at("content").at("subject").as_string());
  EXPECT_NE(de_subject.find("1.234,50"), std::string::npos) << de_subject;
  EXPECT_NE(de_subject.find("€"), std::string::npos) << de_subject;
  EXPECT_NE(us_subject.find("€1,234.50"), std::string::npos) << us_subject;
  EXPECT_EQ(de.at("locale"), "de-DE");
  const std::string local(de.at("send_at").at("local").as_string());
  EXPECT_TRUE(local.ends_with("+01:00") || local.ends_with("+02:00")) << local;  // CET or CEST

  // Templates embed the user's live recommendations (trending for a new user).
  Put("/v1/items/i1", R"({"title": "Blue Train"})");
  Put("/v1/items/i2", R"({"title": "Kind of Blue"})");
  HttpResult views = Call("POST", "/v1/events", R"({"events": [
      {"user_id": "us", "type": "view", "item_id": "i1"}, {"user_id": "de", "type": "view", "item_id": "i2"},
      {"user_id": "de", "type": "view", "item_id": "i1"}]})");
  ASSERT_EQ(views.status, 200) << views.body;
  json::object recs = Decide(R"({"user_id": "us", "channels": ["email"], "dry_run": true, "template": {"variants": [
      {"id": "r", "email": {"subject": "Picks", "body": "{{#recommendations n=2}}[{{title}}]{{/recommendations}}"}}]}})");
  ASSERT_EQ(Suppressed(recs), "") << json::serialize(recs);
  EXPECT_NE(std::string(recs.at("content").at("body").as_string()).find("[Kind of Blue]"), std::string::npos)
      << json::serialize(recs);

  // Syntax errors, unknown filters and oversized documents, each naming the field.
  HttpResult syntax = Call("PUT", "/v1/templates/bad",
                           R"({"variants": [{"id": "a", "sms": {"text": "Hi {{#user}}"}}]})");
  EXPECT_EQ(syntax.status, 400);
  EXPECT_TRUE(syntax.IsProblem());
  EXPECT_EQ(syntax.ErrorFields(), std::vector<std::string>{"variants[0].sms.text"});
  HttpResult filter = Call("PUT", "/v1/templates/bad",
                           R"({"variants": [{"id": "a", "push": {"body": "{{x | shout}}"}}]})");
  EXPECT_EQ(filter.status, 400);
  EXPECT_EQ(filter.ErrorFields(), std::vector<std::string>{"variants[0].push.body"});
  const std::string huge = R"({"variants": [{"id": "a", "sms": {"text": ")" +
                           std::string(100 * 1024, 'x') + R"("}}]})";
  HttpResult big = Call("PUT", "/v1/templates/bad", huge);
  EXPECT_EQ(big.status, 400);
  EXPECT_TRUE(big.IsProblem());
  EXPECT_EQ(Call("GET", "/v1/templates/bad").status, 404);
  HttpResult no_user = Call("POST", "/v1/notifications/decide",
                            R"({"user_id": "ghost", "template_id": "order"})");
  EXPECT_EQ(no_user.status, 404);
  EXPECT_EQ(no_user.ErrorFields(), std::vector<std::string>{"user_id"});
  HttpResult bad = Call("POST", "/v1/notifications/decide",
                        R"({"user_id": "us", "template_id": "order", "channels": ["fax"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{"channels[0]"});
}

TEST_F(NotifyE2eTest, SmsSegmentsConsentQuietHoursAndCaps) {
  Put("/v1/templates/order", kOrderTemplate);
  Put("/v1/notifications/settings", R"({"quiet_hours": {"start": "22:00", "end": "08:00"},
      "frequency_caps": [{"channel": "sms", "window_hours": 24, "max": 1}]})", admin_);
  // Plain GSM text fits one segment; an emoji makes it UCS-2 with 67 units per part.
  Put("/v1/users/gsm", R"({"phone": "+4915112345678", "timezone": "UTC",
      "attributes": {"first_name": "Ada"}, "consent": {"sms": {"marketing": true}}})");
  json::object gsm = Decide(R"({"user_id": "gsm", "template_id": "order", "context": {"total": 5}, "dry_run": true})");
  ASSERT_EQ(Suppressed(gsm), "") << json::serialize(gsm);
  EXPECT_EQ(gsm.at("channel"), "sms");
  EXPECT_EQ(gsm.at("content").at("sms").at("encoding"), "gsm7");
  EXPECT_EQ(gsm.at("content").at("sms").at("segments"), 1);
  json::object ucs = Decide(R"({"user_id": "gsm", "template_id": "order", "dry_run": true,
      "context": {"total": 5, "note": ")" + std::string(20, 'x') + "\xF0\x9F\x8E\x89" +
                            std::string(60, 'y') + R"("}})");
  ASSERT_EQ(Suppressed(ucs), "") << json::serialize(ucs);
  EXPECT_EQ(ucs.at("content").at("sms").at("encoding"), "ucs2");
  EXPECT_EQ(ucs.at("content").at("sms").at("segments"), 2);

  // Consent: a phone without SMS marketing consent gets nothing marketing,
  // but a transactional message.
  Put("/v1/users/noconsent", R"({"phone": "+4915112345679", "attributes": {"first_name": "Bo"}})");
  EXPECT_EQ(Suppressed(Decide(R"({"user_id": "noconsent", "template_id": "order", "context": {"total": 5}})")),
            "no_consent");
  EXPECT_EQ(Suppressed(Decide(R"({"user_id": "noconsent", "template_id": "order", "context": {"total": 5},
                                  "category": "transactional"})")),
            "");

  // Quiet hours: a window inside them is suppressed; a longer one moves to 08:00.
  const std::string quiet = R"({"user_id": "gsm", "template_id": "order", "context": {"total": 5},
      "dry_run": true, "window": {"start": ")" + Tomorrow(22) + R"(", "end": ")" + Tomorrow(22, 1) + R"("}})";
  EXPECT_EQ(Suppressed(Decide(quiet)), "quiet_hours");
  json::object moved = Decide(R"({"user_id": "gsm", "template_id": "order", "context": {"total": 5},
      "dry_run": true, "window": {"start": ")" + Tomorrow(22) + R"(", "end": ")" + Tomorrow(22, 12) + R"("}})");
  ASSERT_EQ(Suppressed(moved), "") << json::serialize(moved);
  EXPECT_EQ(moved.at("send_at").at("utc").as_string(), Tomorrow(8, 24));
  // A user's own quiet hours replace the tenant's.
  Put("/v1/users/owl", R"({"phone": "+4915112345670", "attributes": {"first_name": "Owl",
      "quiet_hours": {"start": "03:00", "end": "04:00"}}, "consent": {"sms": {"marketing": true}}})");
  EXPECT_EQ(Suppressed(Decide(R"({"user_id": "owl", "template_id": "order", "context": {"total": 5},
      "dry_run": true, "window": {"start": ")" + Tomorrow(22) + R"(", "end": ")" + Tomorrow(22, 1) + R"("}})")),
            "");

  // Caps: one marketing SMS per 24 h; transactional ones still go.
  const std::string window = R"(, "window": {"start": ")" + Tomorrow(10) + R"(", "end": ")" + Tomorrow(12) + R"("}})";
  EXPECT_EQ(Suppressed(Decide(R"({"user_id": "gsm", "template_id": "order", "context": {"total": 5})" + window)), "");
  json::object capped = Decide(R"({"user_id": "gsm", "template_id": "order", "context": {"total": 5})" + window);
  EXPECT_EQ(Suppressed(capped), "frequency_cap") << json::serialize(capped);
  EXPECT_EQ(Suppressed(Decide(R"({"user_id": "gsm", "template_id": "order", "context": {"total": 5},
                                  "category": "transactional")" + window)),
            "");
}

TEST_F(NotifyE2eTest, FallbackBelowQualityAndAttributionUpdatesTheBandit) {
  Put("/v1/templates/promo", R"({"variants": [
      {"id": "a", "tone": "urgent", "push": {"title": "Now", "body": "Sale {{user.first_name | default:\"friend\"}}"}},
      {"id": "b", "tone": "friendly", "push": {"title": "Hey", "body": "A sale for you"}}]})");
  Put("/v1/templates/safe", R"({"variants": [{"id": "default", "push": {"body": "News from us"}}]})");
  Put("/v1/users/u1", R"({"push_tokens": ["t1"], "consent": {"push": {"marketing": true}}})");

  // Attribution: a click on a decision counts once, in the stats and the posterior.
  json::object d = Decide(R"({"user_id": "u1", "template_id": "promo"})");
  ASSERT_EQ(Suppressed(d), "") << json::serialize(d);
  const std::string id(d.at("decision_id").as_string());
  const std::string variant(d.at("variant_id").as_string());
  for (int i = 0; i < 2; ++i) {
    HttpResult e = Call("POST", "/v1/events", R"({"user_id": "u1", "type": "notification_clicked",
        "event_id": "click-1", "context": {"decision_id": ")" + id + R"("}})");
    ASSERT_EQ(e.status, 200) << e.body;
  }
  HttpResult stats = Call("GET", "/v1/templates/promo/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  for (const json::value& v : stats.Json().at("variants").as_array()) {
    const bool chosen = v.at("variant_id").as_string() == variant;
    EXPECT_EQ(v.at("sends").to_number<int>(), chosen ? 1 : 0);
    EXPECT_EQ(v.at("opens").to_number<int>(), chosen ? 1 : 0);
    EXPECT_EQ(v.at("clicks").to_number<int>(), chosen ? 1 : 0);
  }
  const json::array& posteriors = stats.Json().at("posteriors").as_array();
  ASSERT_EQ(posteriors.size(), 1u);
  EXPECT_EQ(posteriors[0].at("open").at("alpha").to_number<double>(), 2.0);
  EXPECT_EQ(posteriors[0].at("click").at("alpha").to_number<double>(), 2.0);
  HttpResult stored = Call("GET", "/v1/notifications/decisions/" + id);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_TRUE(stored.Json().at("attribution").at("clicked").as_bool());
  // The profile learned the channel and tone of what the user clicked.
  HttpResult profile = Call("GET", "/v1/users/u1/profile");
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(profile.Json().at("channel_preferences").at("push").at("clicked").to_number<int>(), 1)
      << profile.body;

  // A threshold no new user reaches sends the tenant's safe default.
  Put("/v1/notifications/settings", R"({"quality_threshold": 0.99,
      "fallback": {"template_id": "safe", "variant_id": "default", "channel": "push"}})", admin_);
  json::object safe = Decide(R"({"user_id": "u1", "template_id": "promo", "dry_run": true})");
  ASSERT_EQ(Suppressed(safe), "") << json::serialize(safe);
  EXPECT_TRUE(safe.at("fallback_used").as_bool());
  EXPECT_EQ(safe.at("template_id"), "safe");
  EXPECT_EQ(safe.at("content").at("body"), "News from us");
  // Settings need the admin role.
  EXPECT_EQ(Call("PUT", "/v1/notifications/settings", "{}").status, 403);
}

TEST_F(NotifyE2eTest, CampaignRunsInTheBackgroundWithProgressAndJsonLines) {
  Put("/v1/templates/promo", R"({"variants": [{"id": "a", "push": {"body": "Hi {{user.first_name}}"}}]})");
  json::array ids;
  for (int i = 0; i < 120; ++i) {
    const std::string id = "c" + std::to_string(1000 + i);
    ids.push_back(json::string(id));
    Put("/v1/users/" + id, R"({"push_tokens": ["t"], "attributes": {"first_name": "N)" +
                               std::to_string(i) + R"(", "plan": ")" + (i % 2 ? "pro" : "free") +
                               R"("}, "consent": {"push": {"marketing": true}}})");
  }
  ids.push_back("nobody");  // unknown users are errors, not failures of the campaign
  HttpResult bad = Call("POST", "/v1/campaigns", R"({"template_id": "promo", "audience": {}})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{"audience"});
  EXPECT_EQ(Call("POST", "/v1/campaigns", R"({"template_id": "nope", "audience": {"all": true}})").status, 404);

  HttpResult queued = Call("POST", "/v1/campaigns",
                           json::serialize(json::object{{"template_id", "promo"},
                                                        {"audience", {{"user_ids", ids}}},
                                                        {"channels", {"push"}}}));
  ASSERT_EQ(queued.status, 202) << queued.body;
  const std::string id(queued.Json().at("campaign_id").as_string());
  EXPECT_EQ(queued.Json().at("total").to_number<int>(), 121);
  json::object done;
  for (int i = 0; i < 600; ++i) {
    HttpResult r = Call("GET", "/v1/campaigns/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    const double progress = r.Json().at("progress").is_null() ? 0 : r.Json().at("progress").to_number<double>();
    EXPECT_GE(progress, 0.0);
    EXPECT_LE(progress, 1.0);
    if (r.Json().at("status") == "done") {
      done = r.Json().as_object();
      break;
    }
    usleep(50 * 1000);
  }
  ASSERT_FALSE(done.empty()) << "campaign did not finish";
  EXPECT_EQ(done.at("processed").to_number<int>(), 121);
  EXPECT_EQ(done.at("sent").to_number<int>(), 120);
  EXPECT_EQ(done.at("errors").to_number<int>(), 1);
  EXPECT_EQ(done.at("progress").to_number<double>(), 1.0);

  HttpResult results = Call("GET", "/v1/campaigns/" + id + "/results");
  ASSERT_EQ(results.status, 200);
  EXPECT_EQ(results.headers["content-type"], "application/x-ndjson");
  int lines = 0;
  std::string first_decision;
  size_t start = 0;
  for (size_t nl; (nl = results.body.find('\n', start)) != std::string::npos; start = nl + 1) {
    json::value line = json::parse(results.body.substr(start, nl - start));
    if (line.as_object().contains("decision_id") && first_decision.empty()) {
      first_decision = std::string(line.at("decision_id").as_string());
    }
    ++lines;
  }
  EXPECT_EQ(lines, 121);
  EXPECT_EQ(Call("GET", "/v1/notifications/decisions/" + first_decision).status, 200);

  // An attribute audience: the "pro" half.
  HttpResult pro = Call("POST", "/v1/campaigns",
                        R"({"template_id": "promo", "audience": {"attributes": {"plan": "pro"}}, "channels": ["push"]})");
  ASSERT_EQ(pro.status, 202) << pro.body;
  const std::string pro_id(pro.Json().at("campaign_id").as_string());
  for (int i = 0; i < 600; ++i) {
    HttpResult r = Call("GET", "/v1/campaigns/" + pro_id);
    if (r.Json().at("status") == "done") {
      EXPECT_EQ(r.Json().at("processed").to_number<int>(), 60) << r.body;
      break;
    }
    usleep(50 * 1000);
  }
}

}  // namespace
}  // namespace tailor::e2e
