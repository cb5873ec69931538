#include "insights/profile_store.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "domain/validation.h"

namespace tailor::insights {
namespace {

namespace json = boost::json;

const absl::Time kT0 = absl::FromCivil(absl::CivilDay(2025, 3, 3), absl::UTCTimeZone());  // Monday

domain::Event Ev(std::string user, std::string type, absl::Time t, std::string item = "") {
  domain::Event e;
  e.user_id = std::move(user);
  e.type = std::move(type);
  e.item_id = std::move(item);
  e.timestamp = t;
  return e;
}

const std::vector<std::string> kNone;

TEST(ProfileStoreTest, UnknownUserIsNotFound) {
  ProfileStore s;
  EXPECT_EQ(s.Profile("x").status().code(), absl::StatusCode::kNotFound);
  s.ApplyEvent(Ev("x", "view", kT0), 1, kNone, kNone, std::nullopt);
  EXPECT_TRUE(s.Profile("x").ok());
  s.RemoveUser("x");
  EXPECT_EQ(s.Profile("x").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.num_users(), 0);
}

// One event stamped in the future (a client clock ahead) must not move the
// tenant's "now" past the wall clock for every profile.
TEST(ProfileStoreTest, FutureEventDoesNotMoveNowPastTheClock) {
  ManualClock clock(kT0 + absl::Hours(12));
  ProfileStore s(clock);
  s.ApplyEvent(Ev("a", "view", kT0), 1, kNone, kNone, std::nullopt);
  EXPECT_EQ(s.as_of(), kT0);  // an imported history is read as of its end
  s.ApplyEvent(Ev("b", "view", kT0 + absl::Hours(12 + 23)), 1, kNone, kNone, std::nullopt);
  EXPECT_EQ(s.newest_event(), kT0 + absl::Hours(35));
  EXPECT_EQ(s.as_of(), clock.Now());
  const std::string now = domain::FormatRfc3339(clock.Now());
  EXPECT_EQ(s.Profile("a")->at("metadata").at("as_of").as_string(), now);
  EXPECT_EQ(s.Profile("b")->at("metadata").at("as_of").as_string(), now);
  EXPECT_EQ(s.Overview().at("as_of").as_string(), now);
  // a acted 12 hours before now, not 35.
  EXPECT_EQ(s.Overview().at("active_users").at("1d").as_int64(), 2);
  clock.Advance(absl::Hours(30));
  EXPECT_EQ(s.as_of(), kT0 + absl::Hours(35));
}

TEST(ProfileStoreTest, PreferencesChannelsAndLocalHours) {
  ProfileStore s;
  domain::User user;
  user.id = "u";
  user.timezone = "America/New_York";  // UTC-5 in March before DST
  user.phone = "+15555550100";
  user.consent["sms"]["marketing"] = true;
  s.UpsertUser(user);
  const std::vector<std::string> jazz = {"jazz"}, rock = {"rock"}, tags = {"live"};
  for (int k = 0; k < 4; ++k) {
    s.ApplyEvent(Ev("u", "click", kT0 + absl::Hours(15) + absl::Minutes(k), "a"), 2, jazz, tags, std::nullopt);
  }
  s.ApplyEvent(Ev("u", "view", kT0 + absl::Hours(16), "b"), 1, rock, kNone, std::nullopt);
  s.ApplyEvent(Ev("u", "dislike", kT0 + absl::Hours(17), "c"), -4, rock, kNone, std::nullopt);
  domain::Event sent = Ev("u", "notification_sent", kT0 + absl::Hours(18));
  sent.context["channel"] = "sms";
  s.ApplyEvent(sent, 0, kNone, kNone, std::nullopt);
  s.ApplyEvent(sent, 0, kNone, kNone, std::nullopt);
  domain::Event clicked = Ev("u", "notification_clicked", kT0 + absl::Hours(19));
  clicked.context = {{"channel", "sms"}, {"tone", "urgent"}, {"length", "short"}};
  s.ApplyEvent(clicked, 1, kNone, kNone, std::nullopt);

  json::object p = *s.Profile("u");
  const json::array& categories = p.at("content_preferences").at("categories").as_array();
  ASSERT_EQ(categories.size(), 1u);  // rock nets 1 - 4 < 0
  EXPECT_EQ(categories[0].at("name").as_string(), "jazz");
  EXPECT_DOUBLE_EQ(categories[0].at("affinity").as_double(), 1.0);
  EXPECT_EQ(p.at("content_preferences").at("tone").at("preferred").as_string(), "urgent");
  const json::object& sms = p.at("channel_preferences").at("sms").as_object();
  EXPECT_EQ(sms.at("sent").as_int64(), 2);
  EXPECT_EQ(sms.at("clicked").as_int64(), 1);
  EXPECT_TRUE(sms.at("reachable").as_bool());
  EXPECT_TRUE(sms.at("marketing_consent").as_bool());
  EXPECT_FALSE(p.at("channel_preferences").at("email").at("reachable").as_bool());
  const json::object& b = p.at("behavioral_patterns").as_object();
  EXPECT_EQ(b.at("total_events").as_int64(), 7);  // sends are not the user's
  EXPECT_EQ(b.at("active_hours").at(0).at("hour").as_int64(), 10);  // 15:00 UTC
  EXPECT_EQ(b.at("active_days").at(0).at("day").as_string(), "monday");
  EXPECT_EQ(b.at("event_counts").at("notification_sent").as_int64(), 2);
  EXPECT_DOUBLE_EQ(p.at("metadata").at("data_quality_score").as_double(), 1.0);
  EXPECT_TRUE(p.at("predictive_scores").at("churn_risk").at("probability").is_null());
}

TEST(ProfileStoreTest, EngagementPercentilesAndSentiment) {
  ProfileStore s;
  // u0 has one old view, u1 one recent view, u2 many recent purchases.
  s.ApplyEvent(Ev("u0", "view", kT0), 1, kNone, kNone, std::nullopt);
  s.ApplyEvent(Ev("u1", "view", kT0 + absl::Hours(24 * 30)), 1, kNone, kNone, -0.6);
  for (int k = 0; k < 5; ++k) {
    s.ApplyEvent(Ev("u2", "purchase", kT0 + absl::Hours(24 * 30 + k)), 5, kNone, kNone, 0.8);
  }
  auto score = [&](const std::string& u) {
    return s.Profile(u)->at("behavioral_patterns").at("engagement_score").as_double();
  };
  EXPECT_NEAR(score("u0"), 100.0 / 6, 0.1);
  EXPECT_NEAR(score("u1"), 50.0, 0.1);
  EXPECT_NEAR(score("u2"), 500.0 / 6, 0.1);
  json::object sentiment = s.Profile("u1")->at("sentiment").as_object();
  EXPECT_EQ(sentiment.at("label").as_string(), "negative");
  EXPECT_EQ(s.Profile("u2")->at("sentiment").at("count").as_int64(), 5);
  EXPECT_EQ(s.Profile("u0")->at("sentiment").at("count").as_int64(), 0);
}

TEST(ProfileStoreTest, OverviewAndSegmentsUseTheModels) {
  ProfileStore s;
  // Users 0..99: user u acts on the first (u % 10) + 1 days of 60.
  for (int u = 0; u < 100; ++u) {
    for (int d = 0; d <= u % 10; ++d) {
      s.ApplyEvent(Ev("u" + std::to_string(u), "view", kT0 + absl::Hours(24 * d * 6)), 1, kNone,
                   kNone, std::nullopt);
    }
  }
  // Hand-made models: nobody acts within the engagement horizon, and the
  // chance of acting later falls with recency, so churn risk is
  // 1 / (1 + e^(6 - 2 log1p(recency))).
  auto models = std::make_shared<ActivityModels>();
  auto model = [](const char* name, int days, double w0, double bias) {
    OutcomeModel m;
    m.name = name;
    m.horizon = absl::Hours(24 * days);
    m.model.mean.assign(kNumActivityFeatures, 0.0);
    m.model.scale.assign(kNumActivityFeatures, 1.0);
    m.model.weight.assign(kNumActivityFeatures, 0.0);
    m.model.weight[0] = w0;
    m.model.bias = bias;
    return m;
  };
  models->engage = model("engage", 7, 0.0, -800.0);
  models->churn = model("churn", 30, -2.0, 6.0);
  s.SetModels(models);

  json::object overview = s.Overview();
  EXPECT_EQ(overview.at("users").as_int64(), 100);
  EXPECT_EQ(overview.at("events").as_int64(), 550);
  EXPECT_EQ(overview.at("events_by_type").at("view").as_int64(), 550);
  EXPECT_EQ(overview.at("churn_risk").at("scored_users").as_int64(), 100);
  EXPECT_EQ(overview.at("active_users").at("1d").as_int64(), 10);  // the u % 10 == 9 users

  SegmentQuery q;
  q.churn_risk_min = 0.5;
  q.limit = 7;
  std::set<std::string> seen;
  for (int page = 0; page < 100; ++page) {
    json::object r = s.Users(q);
    for (const json::value& u : r.at("users").as_array()) {
      EXPECT_GE(u.at("churn_risk").as_double(), 0.5);
      EXPECT_TRUE(seen.insert(std::string(u.at("user_id").as_string())).second);
    }
    if (r.at("next_cursor").is_null()) break;
    q.cursor = std::stoll(std::string(r.at("next_cursor").as_string()));
  }
  // Risk >= 0.5 needs 2 log1p(recency) >= 6, recency >= e^3 - 1 = 19.1
  // days: users whose last day 6k is at least 19.1 days before day 54,
  // k <= 5 (u % 10 < 6).
  EXPECT_EQ(seen.size(), 60u);
  SegmentQuery low;
  low.engagement_max = 10.0;
  low.limit = 1000;
  json::object low_page = s.Users(low);
  EXPECT_FALSE(low_page.at("users").as_array().empty());
  for (const json::value& u : low_page.at("users").as_array()) {
    EXPECT_LE(u.at("engagement_score").as_double(), 10.0);
  }
}

}  // namespace
}  // namespace tailor::insights
