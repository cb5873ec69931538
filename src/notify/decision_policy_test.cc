#include "notify/decision_policy.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tailor::notify {
namespace {

namespace json = boost::json;
using decide::Channel;
using decide::MessageCategory;

// Monday 2026-03-02 10:00 UTC.
const absl::Time kNow = absl::FromUnixSeconds(1772445600);

std::shared_ptr<const personalize::NotificationTemplate> Template(const std::string& id,
                                                                  const std::string& doc) {
  return std::make_shared<const personalize::NotificationTemplate>(
      *personalize::ParseNotificationTemplate(json::parse(doc), id));
}

class DecisionPolicyTest : public ::testing::Test {
 protected:
  DecisionPolicyTest() : rng_(1) {
    user_ = *domain::ParseUser(json::parse(R"({"email": "a@example.com", "push_tokens": ["tok"],
        "attributes": {"first_name": "Ada"}, "consent": {"email": {"marketing": true}}})"), "u1");
    request_.user_id = "u1";
    request_.template_id = "welcome";
    request_.channels = {Channel::kEmail, Channel::kPush};
    settings_.exploration.share = 0;  // the gate never explores: deterministic fallbacks
    in_.request = &request_;
    in_.user = &user_;
    in_.templ = Template("welcome", R"({"variants": [
        {"id": "v", "tone": "friendly", "email": {"subject": "Hi {{user.first_name}}", "body": "b"},
         "push": {"title": "Hi", "body": "Hi {{user.first_name}}"}}]})");
    in_.context = json::object{{"user", {{"first_name", "Ada"}}}};
    in_.time_zone = "UTC";
    in_.now = in_.start = kNow;
    in_.end = kNow + absl::Hours(24);
  }

  Decision Run() {
    Decision d;
    d.id = "nd_test";
    d.user_id = request_.user_id;
    d.segment = request_.segment;
    d.category = request_.category;
    const std::vector<decide::SentMessage> cap_history = history_.CapHistory();
    RunDecisionPolicy(in_,
                      {.settings = settings_,
                       .history = history_,
                       .cap_history = cap_history,
                       .bandit = bandit_,
                       .variant_counts = variant_counts_,
                       .channel_priors = channel_priors_,
                       .tenant_hours = tenant_hours_,
                       .rng = rng_},
                      d);
    return d;
  }
  static std::string Suppressed(const Decision& d) {
    const json::value& s = d.answer.at("suppressed");
    return s.is_null() ? "" : std::string(s.at("reason").get_string());
  }
  static bool HasReason(const Decision& d, std::string_view text) {
    for (const json::value& r : d.answer.at("reasons").get_array()) {
      if (std::string_view(r.get_string()).find(text) != std::string_view::npos) return true;
    }
    return false;
  }

  domain::User user_;
  DecideRequest request_;
  NotifySettings settings_;
  DecideInputs in_;
  UserNotify history_;
  decide::ThompsonSampler bandit_;
  std::map<std::pair<std::string, std::string>, VariantCounts> variant_counts_;
  std::map<Channel, decide::TenantChannelPrior> channel_priors_;
  decide::HourOfWeekHistogram tenant_hours_;
  Random rng_;
};

TEST(AffinitiesTest, EmptyWithoutSendsAndLiftAroundNeutral) {
  EXPECT_TRUE(Affinities({}).empty());
  EXPECT_TRUE(Affinities({{"friendly", {0, 0}}}).empty());
  std::map<std::string, double> a = Affinities({{"friendly", {10, 5}}, {"formal", {10, 0}}});
  EXPECT_GT(a.at("friendly"), 0.5);
  EXPECT_LT(a.at("formal"), 0.5);
  EXPECT_GE(a.at("formal"), 0.0);
  EXPECT_LE(a.at("friendly"), 1.0);
}

TEST_F(DecisionPolicyTest, MarketingGoesOnTheConsentedChannelAtTheBestAllowedHour) {
  Decision d = Run();
  EXPECT_TRUE(d.sent);
  EXPECT_EQ(Suppressed(d), "");
  EXPECT_EQ(d.channel, Channel::kEmail);
  EXPECT_EQ(d.variant_id, "v");
  EXPECT_EQ(d.template_id, "welcome");
  EXPECT_EQ(d.answer.at("content").at("subject"), "Hi Ada");
  EXPECT_GE(d.send_at, in_.start);
  EXPECT_LT(d.send_at, in_.end);
  EXPECT_EQ(d.answer.at("decision_id"), "nd_test");
  EXPECT_EQ(d.answer.at("channel_scores").get_array().size(), 2u);
}

TEST_F(DecisionPolicyTest, QuietHoursMoveTheSendToTheirEnd) {
  in_.now = in_.start = kNow + absl::Hours(13);  // 23:00 UTC, inside 22:00-08:00
  in_.end = in_.start + absl::Hours(24);
  Decision d = Run();
  ASSERT_TRUE(d.sent) << json::serialize(d.answer);
  EXPECT_EQ(d.send_at, kNow + absl::Hours(22));  // 08:00 the next day
}

TEST_F(DecisionPolicyTest, TransactionalIsSentAtOnceEvenInQuietHours) {
  request_.category = MessageCategory::kTransactional;
  in_.now = in_.start = kNow + absl::Hours(13);
  in_.end = in_.start + absl::Hours(24);
  Decision d = Run();
  ASSERT_TRUE(d.sent);
  EXPECT_EQ(d.send_at, in_.start);
  EXPECT_TRUE(HasReason(d, "transactional: sent at once"));
}

TEST_F(DecisionPolicyTest, NoConsentedChannelIsSuppressed) {
  user_ = *domain::ParseUser(json::parse(R"({"email": "a@example.com"})"), "u1");
  Decision d = Run();
  EXPECT_FALSE(d.sent);
  EXPECT_EQ(Suppressed(d), "no_consent");
  EXPECT_TRUE(d.answer.at("channel").is_null());
}

TEST_F(DecisionPolicyTest, RenderFailureWithoutSafeDefaultIsSuppressed) {
  in_.context = json::object{{"user", json::object{}}};  // no first_name to render
  Decision d = Run();
  EXPECT_FALSE(d.sent);
  EXPECT_EQ(Suppressed(d), "render_failed");
  EXPECT_TRUE(HasReason(d, "variant v skipped on email"));
}

TEST_F(DecisionPolicyTest, BelowTheThresholdTheSafeDefaultStandsIn) {
  settings_.quality_threshold = 0.99;
  settings_.fallback = FallbackSpec{"safe", "s", Channel::kEmail};
  in_.fallback_templ =
      Template("safe", R"({"variants": [{"id": "s", "email": {"subject": "News", "body": "b"}}]})");
  Decision d = Run();
  ASSERT_TRUE(d.sent) << json::serialize(d.answer);
  EXPECT_TRUE(d.answer.at("fallback_used").get_bool());
  EXPECT_EQ(d.template_id, "safe");
  EXPECT_EQ(d.variant_id, "s");
  EXPECT_EQ(d.answer.at("content").at("subject"), "News");

  settings_.fallback.reset();
  Decision none = Run();
  EXPECT_FALSE(none.sent);
  EXPECT_EQ(Suppressed(none), "quality_below_threshold");
}

}  // namespace
}  // namespace tailor::notify
