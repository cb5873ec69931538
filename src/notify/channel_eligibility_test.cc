#include "notify/channel_eligibility.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tailor::notify {
namespace {

namespace json = boost::json;
using decide::Channel;
using decide::MessageCategory;

// Monday 2026-03-02 10:00 UTC.
const absl::Time kNow = absl::FromUnixSeconds(1772445600);

class ChannelEligibilityTest : public ::testing::Test {
 protected:
  ChannelEligibilityTest()
      : templ_(*personalize::ParseNotificationTemplate(json::parse(R"({"variants": [
          {"id": "e", "email": {"subject": "s", "body": "b"}, "push": {"title": "t", "body": "b"}}]})"),
                                                       "t")) {
    SetUser(R"({"email": "a@example.com", "push_tokens": ["tok"],
                "consent": {"email": {"marketing": true}}})");
  }
  void SetUser(const std::string& doc) { user_ = *domain::ParseUser(json::parse(doc), "u1"); }
  Eligibility Check(MessageCategory category, absl::Duration window = absl::Hours(24)) {
    return CheckChannels({.requested = requested_,
                          .category = category,
                          .templ = templ_,
                          .user = user_,
                          .counts = counts_,
                          .signals = signals_,
                          .cap_history = history_,
                          .start = kNow,
                          .end = kNow + window},
                         decide::DefaultCapPolicy());
  }
  void SentEmailsAgo(std::initializer_list<absl::Duration> ago) {
    for (absl::Duration d : ago) {
      history_.push_back({kNow - d, Channel::kEmail, MessageCategory::kMarketing});
    }
  }

  personalize::NotificationTemplate templ_;
  domain::User user_;
  std::vector<Channel> requested_{Channel::kEmail, Channel::kPush, Channel::kSms};
  std::array<decide::EngagementCounts, 4> counts_{};
  std::optional<insights::NotifySignals> signals_;
  std::vector<decide::SentMessage> history_;
};

TEST_F(ChannelEligibilityTest, MarketingNeedsVariantContactAndConsent) {
  Eligibility e = Check(MessageCategory::kMarketing);
  ASSERT_EQ(e.checks.size(), 3u);
  EXPECT_TRUE(e.checks[0].eligible());
  EXPECT_EQ(e.checks[0].note, "");
  EXPECT_FALSE(e.checks[1].eligible());
  EXPECT_EQ(e.checks[1].note, "no marketing consent");
  EXPECT_FALSE(e.checks[2].has_variant);
  EXPECT_EQ(e.checks[2].note, "the template has no variant for this channel");
  ASSERT_EQ(e.options.size(), 1u);
  EXPECT_EQ(e.options[0].channel, Channel::kEmail);
}

TEST_F(ChannelEligibilityTest, TransactionalNeedsNoOptIn) {
  Eligibility e = Check(MessageCategory::kTransactional);
  EXPECT_TRUE(e.checks[0].eligible());
  EXPECT_TRUE(e.checks[1].eligible());
  EXPECT_EQ(e.options.size(), 2u);
}

TEST_F(ChannelEligibilityTest, UnreachableWithoutContactUnlessEngaged) {
  SetUser(R"({"consent": {"email": {"marketing": true}}})");
  EXPECT_EQ(Check(MessageCategory::kMarketing).checks[0].note, "no contact for this channel");
  counts_[static_cast<int>(Channel::kEmail)] = {4, 1};  // an open proves the address works
  EXPECT_TRUE(Check(MessageCategory::kMarketing).checks[0].eligible());
}

TEST_F(ChannelEligibilityTest, ProfileFunnelCountsInTheOption) {
  signals_.emplace();
  signals_->channels[static_cast<int>(Channel::kEmail)].sent = 9;
  signals_->channels[static_cast<int>(Channel::kEmail)].opened = 3;
  counts_[static_cast<int>(Channel::kEmail)] = {2, 1};
  Eligibility e = Check(MessageCategory::kMarketing);
  ASSERT_EQ(e.options.size(), 1u);
  EXPECT_EQ(e.options[0].user.sends, 9);
  EXPECT_EQ(e.options[0].user.engagements, 3);
}

TEST_F(ChannelEligibilityTest, CapDefersInsideTheWindowAndExcludesBeyondIt) {
  SentEmailsAgo({absl::Hours(1), absl::Hours(2)});  // email: 2 per 24h
  Eligibility deferred = Check(MessageCategory::kMarketing);
  EXPECT_TRUE(deferred.checks[0].eligible());
  EXPECT_EQ(deferred.checks[0].earliest, kNow + absl::Hours(22));
  EXPECT_NE(deferred.checks[0].note.find("not before"), std::string::npos);

  Eligibility capped = Check(MessageCategory::kMarketing, absl::Hours(6));
  EXPECT_TRUE(capped.checks[0].capped);
  EXPECT_FALSE(capped.checks[0].eligible());
  EXPECT_TRUE(capped.options.empty());

  Eligibility transactional = Check(MessageCategory::kTransactional, absl::Hours(6));
  EXPECT_TRUE(transactional.checks[0].eligible());
  EXPECT_EQ(transactional.checks[0].earliest, kNow);
}

TEST_F(ChannelEligibilityTest, WhyNoChannelNamesTheFirstFailingCheck) {
  auto check = [](bool variant, bool reachable, bool consented) {
    ChannelCheck c;
    c.has_variant = variant;
    c.reachable = reachable;
    c.consented = consented;
    c.capped = true;
    return c;
  };
  EXPECT_EQ(WhyNoChannel({check(false, true, true)}, MessageCategory::kMarketing).code,
            "no_variant_for_channels");
  EXPECT_EQ(WhyNoChannel({check(false, true, true), check(true, false, true)},
                         MessageCategory::kMarketing).code,
            "unreachable");
  NoChannelReason consent = WhyNoChannel({check(true, true, false)}, MessageCategory::kMarketing);
  EXPECT_EQ(consent.code, "no_consent");
  EXPECT_NE(consent.detail.find("marketing"), std::string::npos);
  EXPECT_EQ(WhyNoChannel({check(true, true, true)}, MessageCategory::kMarketing).code,
            "frequency_cap");
}

}  // namespace
}  // namespace tailor::notify
