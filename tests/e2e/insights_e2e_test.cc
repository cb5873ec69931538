// Profiles, insights and their models end to end: events posted over real
// HTTP move the profile fields as docs/INSIGHTS.md defines them; MovieLens
// 100K imported with `tailor import` gets churn and engagement models fitted
// by the server's background trainer.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <filesystem>
#include <fstream>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

double Num(const json::value& v) { return v.to_number<double>(); }

// RFC 3339 UTC time of the wall clock plus `ahead`, whole seconds.
std::string UtcTimestamp(std::chrono::seconds ahead) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

json::object Profile(uint16_t port, const std::string& key, const std::string& user) {
  HttpResult r = Http(port, "GET", "/v1/users/" + user + "/profile", "", key);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().as_object() : json::object();
}

void PostEvents(uint16_t port, const std::string& key, const json::array& events) {
  HttpResult r = Http(port, "POST", "/v1/events", json::serialize(json::object{{"events", events}}), key);
  ASSERT_EQ(r.status, 200) << r.body;
}

// Waits until GET /v1/insights/models has `field` fitted.
json::object WaitForInsightModels(uint16_t port, const std::string& key, const std::string& field) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  json::object last;
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResult r = Http(port, "GET", "/v1/insights/models", "", key);
    if (r.status == 200) {
      last = r.Json().as_object();
      if (!last.at(field).is_null()) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "insights models not fitted in time: " << json::serialize(last);
  return last;
}

const std::vector<std::string> kServeFlags = {"--train-models", "popularity"};

TEST(InsightsE2eTest, PostedEventsMoveTheProfile) {
  const bool have_lexicon =
      std::filesystem::exists(std::string(TAILOR_SOURCE_DIR) + "/node_modules/vader-sentiment");
  TempDir dir;
  std::string key = CreateKey(dir.path(), "shop", "write");
  std::string admin = CreateKey(dir.path(), "shop", "admin");
  ServerProcess server(dir.path(), kServeFlags);
  const uint16_t port = server.port();

  for (const auto& [id, category] : std::vector<std::pair<std::string, std::string>>{
           {"album-1", "jazz"}, {"album-2", "jazz"}, {"album-3", "rock"}}) {
    HttpResult r = Http(port, "PUT", "/v1/items/" + id,
                        json::serialize(json::object{{"title", id}, {"categories", json::array{category}},
                                                     {"tags", json::array{"vinyl"}}}),
                        key);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  HttpResult put = Http(port, "PUT", "/v1/users/ana",
                        R"({"timezone": "Asia/Tokyo", "email": "ana@example.com",
                            "consent": {"email": {"marketing": true}}})",
                        key);
  ASSERT_EQ(put.status, 200) << put.body;

  // A user record without events: a profile with no activity yet.
  json::object p = Profile(port, key, "ana");
  EXPECT_EQ(p.at("behavioral_patterns").at("total_events").as_int64(), 0);
  EXPECT_EQ(p.at("behavioral_patterns").at("timezone").as_string(), "Asia/Tokyo");
  EXPECT_DOUBLE_EQ(Num(p.at("metadata").at("data_quality_score")), 0.75);  // record, zone, consent
  EXPECT_EQ(p.at("metadata").at("confidence_level").as_string(), "low");
  EXPECT_TRUE(p.at("channel_preferences").at("email").at("reachable").as_bool());
  EXPECT_FALSE(p.at("channel_preferences").at("sms").at("reachable").as_bool());

  HttpResult missing = Http(port, "GET", "/v1/users/nobody/profile", "", key);
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.IsProblem());

  // Jazz at 10:00 UTC on weekdays = 19:00 in Tokyo.
  json::array events;
  for (int d = 16; d <= 20; ++d) {
    events.push_back({{"user_id", "ana"}, {"type", "click"}, {"item_id", d % 2 ? "album-1" : "album-2"},
                      {"timestamp", "2026-11-" + std::to_string(d) + "T10:00:00Z"}});
  }
  events.push_back({{"user_id", "ana"}, {"type", "view"}, {"item_id", "album-3"},
                    {"timestamp", "2026-11-20T10:30:00Z"}});
  events.push_back({{"user_id", "ana"}, {"type", "notification_sent"},
                    {"timestamp", "2026-11-20T11:00:00Z"}, {"context", {{"channel", "email"}}}});
  events.push_back({{"user_id", "ana"}, {"type", "notification_opened"},
                    {"timestamp", "2026-11-20T11:05:00Z"},
                    {"context", {{"channel", "email"}, {"tone", "friendly"}, {"length", "short"}}}});
  events.push_back({{"user_id", "bo"}, {"type", "view"}, {"item_id", "album-3"},
                    {"timestamp", "2026-11-02T08:00:00Z"}});
  PostEvents(port, key, events);

  p = Profile(port, key, "ana");
  const json::object& behavior = p.at("behavioral_patterns").as_object();
  EXPECT_EQ(behavior.at("total_events").as_int64(), 7);  // the send is the tenant's action
  EXPECT_EQ(behavior.at("event_counts").at("click").as_int64(), 5);
  EXPECT_EQ(behavior.at("active_hours").at(0).at("hour").as_int64(), 19);
  EXPECT_EQ(behavior.at("last_active_at").as_string(), "2026-11-20T11:05:00Z");
  EXPECT_EQ(p.at("content_preferences").at("categories").at(0).at("name").as_string(), "jazz");
  EXPECT_EQ(p.at("content_preferences").at("tags").at(0).at("name").as_string(), "vinyl");
  EXPECT_EQ(p.at("content_preferences").at("tone").at("preferred").as_string(), "friendly");
  const json::object& email = p.at("channel_preferences").at("email").as_object();
  EXPECT_EQ(email.at("sent").as_int64(), 1);
  EXPECT_EQ(email.at("opened").as_int64(), 1);
  EXPECT_DOUBLE_EQ(Num(email.at("open_rate")), 1.0);
  EXPECT_EQ(p.at("channel_preferences").at("preferred").as_string(), "email");
  EXPECT_DOUBLE_EQ(Num(p.at("metadata").at("data_quality_score")), 1.0);
  EXPECT_EQ(p.at("metadata").at("as_of").as_string(), "2026-11-20T11:05:00Z");
  // Ana is more engaged than Bo, whose only view is older.
  const double ana_score = Num(behavior.at("engagement_score"));
  const double bo_score = Num(Profile(port, key, "bo").at("behavioral_patterns").at("engagement_score"));
  EXPECT_GT(ana_score, bo_score);
  EXPECT_DOUBLE_EQ(ana_score + bo_score, 100.0);  // mid-rank percentiles of two users

  // A click moves the profile at once.
  PostEvents(port, key, json::array{{{"user_id", "ana"}, {"type", "click"}, {"item_id", "album-3"},
                                     {"timestamp", "2026-11-21T10:00:00Z"}}});
  p = Profile(port, key, "ana");
  EXPECT_EQ(p.at("behavioral_patterns").at("event_counts").at("click").as_int64(), 6);
  EXPECT_EQ(p.at("metadata").at("last_updated").as_string(), "2026-11-21T10:00:00Z");

  if (have_lexicon) {
    PostEvents(port, key, json::array{{{"user_id", "ana"}, {"type", "feedback"},
                                       {"text", "I absolutely love this shop, great service!"},
                                       {"timestamp", "2026-11-21T11:00:00Z"}}});
    json::object s = Profile(port, key, "ana").at("sentiment").as_object();
    EXPECT_EQ(s.at("count").as_int64(), 1);
    EXPECT_GT(Num(s.at("average")), 0.5);
    EXPECT_EQ(s.at("label").as_string(), "positive");
    PostEvents(port, key, json::array{{{"user_id", "ana"}, {"type", "feedback"},
                                       {"text", "The delivery was terrible and the box was broken."},
                                       {"timestamp", "2026-11-21T12:00:00Z"}}});
    s = Profile(port, key, "ana").at("sentiment").as_object();
    EXPECT_EQ(s.at("count").as_int64(), 2);
    EXPECT_LT(Num(s.at("last")), -0.4);
  }

  // Purchases by 60 customers over 20 weeks, then a refit on demand: the
  // profile gains a lifetime value.
  json::array purchases;
  for (int c = 0; c < 60; ++c) {
    const int count = 1 + c % 4;
    for (int k = 0; k < count; ++k) {
      char timestamp[32];
      std::snprintf(timestamp, sizeof timestamp, "2026-%02d-%02dT12:00:00Z", 7 + k, 1 + c % 7);
      purchases.push_back({{"user_id", "buyer-" + std::to_string(c)}, {"type", "purchase"},
                           {"item_id", "album-1"}, {"value", 10.0 + c % 5 * 5},
                           {"timestamp", timestamp}});
    }
  }
  PostEvents(port, key, purchases);
  HttpResult train = Http(port, "POST", "/v1/models/insights/train", "", admin);
  ASSERT_EQ(train.status, 202) << train.body;
  json::object models = WaitForInsightModels(port, key, "lifetime_value");
  EXPECT_GT(Num(models.at("lifetime_value").at("bg_nbd").at("r")), 0.0);
  json::object buyer = Profile(port, key, "buyer-3");
  const json::object& ltv = buyer.at("predictive_scores").at("lifetime_value").as_object();
  EXPECT_GT(Num(ltv.at("expected_purchases")), 0.0) << json::serialize(ltv);
  EXPECT_GT(Num(ltv.at("value")), 0.0) << json::serialize(ltv);
  EXPECT_GT(Num(ltv.at("probability_alive")), 0.0);
  EXPECT_TRUE(Profile(port, key, "bo").at("predictive_scores").at("lifetime_value").at("value").is_null());

  // One event stamped 23 hours ahead (a client clock running fast) does not
  // move the tenant's "now" past the server's clock.
  PostEvents(port, key, json::array{{{"user_id", "cy"}, {"type", "view"}, {"item_id", "album-3"},
                                     {"timestamp", UtcTimestamp(std::chrono::hours(23))}}});
  const std::string as_of = Profile(port, key, "ana").at("metadata").at("as_of").as_string().c_str();
  const std::string overview_as_of = [&] {
    HttpResult r = Http(port, "GET", "/v1/insights/overview", "", key);
    return std::string(r.Json().at("as_of").as_string());
  }();
  const std::string after = UtcTimestamp(std::chrono::seconds(1));
  // Same fixed-width "YYYY-MM-DDTHH:MM:SS" prefix: compares as text.
  EXPECT_LE(as_of.substr(0, 19), after.substr(0, 19));
  EXPECT_LE(overview_as_of.substr(0, 19), after.substr(0, 19));
  // The event itself was taken: cy's profile shows it.
  const std::string cy_updated = Profile(port, key, "cy").at("metadata").at("last_updated").as_string().c_str();
  EXPECT_GT(cy_updated.substr(0, 19), after.substr(0, 19));
}

class InsightsMovieLensE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string data = std::string(TAILOR_SHARED_DATA) + "/ml-100k";
    if (!std::ifstream(data + "/u.data")) GTEST_SKIP() << "ml-100k not found";
    int code = -1;
    std::string out = RunTailor({"import", "--data-dir", dir_.path(), "--tenant", "movies", "--format",
                                 "ml-100k", "--quiet", data},
                                &code);
    ASSERT_EQ(code, 0) << out;
    key_ = CreateKey(dir_.path(), "movies", "read");
  }
  TempDir dir_;
  std::string key_;
};

TEST_F(InsightsMovieLensE2eTest, ChurnEngagementOverviewAndSegments) {
  ServerProcess server(dir_.path(), kServeFlags);
  const uint16_t port = server.port();
  json::object models = WaitForInsightModels(port, key_, "churn");
  ASSERT_FALSE(models.at("engagement").is_null()) << json::serialize(models);
  // Out-of-time validation beats chance; no purchases, so no lifetime value.
  const json::object& validation = models.at("churn").at("validation").as_object();
  EXPECT_GT(Num(validation.at("auc")), 0.6) << json::serialize(validation);
  EXPECT_LT(Num(validation.at("ece")), 0.2);
  EXPECT_TRUE(models.at("lifetime_value").is_null());

  json::object p = Profile(port, key_, "1");
  const json::object& churn = p.at("predictive_scores").at("churn_risk").as_object();
  const double risk = Num(churn.at("probability"));
  EXPECT_GE(risk, 0.0);
  EXPECT_LE(risk, 1.0);
  EXPECT_EQ(churn.at("drivers").as_array().size(), 3u);
  EXPECT_DOUBLE_EQ(Num(churn.at("horizon_days")), 30.0);
  const double engage = Num(p.at("predictive_scores").at("engagement_prediction").at("probability"));
  EXPECT_GE(engage, 0.0);
  EXPECT_LE(engage, 1.0);
  // One model of the time to the next action: silent for 30 days is never
  // likelier than not acting within 7.
  EXPECT_LE(risk, 1.0 - engage + 1e-9);
  // Every model reports its validation or says why it has none.
  for (const char* name : {"churn", "engagement"}) {
    const json::object& m = models.at(name).as_object();
    EXPECT_TRUE(m.at("validation").is_object() || !m.at("validation_note").as_string().empty()) << name;
  }
  EXPECT_EQ(p.at("behavioral_patterns").at("total_events").as_int64(), 272);
  EXPECT_EQ(p.at("content_preferences").at("categories").as_array().size(), 10u);

  HttpResult overview = Http(port, "GET", "/v1/insights/overview", "", key_);
  ASSERT_EQ(overview.status, 200) << overview.body;
  const json::object& o = overview.Json().as_object();
  EXPECT_EQ(o.at("users").as_int64(), 943);
  EXPECT_EQ(o.at("events").as_int64(), 100000);
  EXPECT_EQ(o.at("events_by_type").at("rate").as_int64(), 100000);
  EXPECT_GT(o.at("active_users").at("30d").as_int64(), 0);
  EXPECT_LE(o.at("active_users").at("7d").as_int64(), o.at("active_users").at("30d").as_int64());
  EXPECT_EQ(o.at("churn_risk").at("scored_users").as_int64(), 943);
  // Levels are measured against the tenant's own churn.
  const double base_rate = Num(o.at("churn_risk").at("base_rate"));
  EXPECT_GT(base_rate, 0.0);
  EXPECT_LE(Num(o.at("churn_risk").at("medium_from")), Num(o.at("churn_risk").at("high_from")));
  EXPECT_EQ(o.at("top_items").as_array().size(), 10u);
  EXPECT_EQ(o.at("top_items").at(0).at("item_id").as_string(), "50");  // Star Wars
  EXPECT_FALSE(o.at("top_categories").as_array().empty());

  // Segments: every user listed matches, and pages do not overlap.
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    HttpResult page = Http(port, "GET",
                           "/v1/insights/users?churn_risk_min=0.5&engagement_max=60&limit=100" +
                               (cursor.empty() ? "" : "&cursor=" + cursor),
                           "", key_);
    ASSERT_EQ(page.status, 200) << page.body;
    for (const json::value& u : page.Json().at("users").as_array()) {
      EXPECT_GE(Num(u.at("churn_risk")), 0.5);
      EXPECT_LE(Num(u.at("engagement_score")), 60.0);
      EXPECT_TRUE(seen.insert(std::string(u.at("user_id").as_string())).second);
    }
    const json::value& next = page.Json().at("next_cursor");
    cursor = next.is_string() ? std::string(next.as_string()) : "";
    ++pages;
  } while (!cursor.empty() && pages < 20);
  EXPECT_FALSE(seen.empty());
  EXPECT_LT(seen.size(), 943u);

  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"churn_risk_min=2", "churn_risk_min"}, {"engagement_max=-1", "engagement_max"},
           {"limit=0", "limit"}, {"cursor=x", "cursor"}}) {
    HttpResult bad = Http(port, "GET", "/v1/insights/users?" + query, "", key_);
    EXPECT_EQ(bad.status, 400) << query;
    EXPECT_TRUE(bad.IsProblem());
    EXPECT_EQ(bad.ErrorFields(), std::vector<std::string>{field}) << bad.body;
  }
}

}  // namespace
}  // namespace tailor::e2e
