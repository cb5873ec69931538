#include "models/decide/frequency_cap.h"

#include "gtest/gtest.h"

namespace tailor::decide {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795348800);  // 2026-11-22T12:00Z

SentMessage Push(absl::Duration ago, MessageCategory c = MessageCategory::kMarketing) {
  return {kNow - ago, Channel::kPush, c};
}

TEST(FrequencyCapTest, DailyCapSuppressesAndSaysWhenFree) {
  CapPolicy policy = DefaultCapPolicy();
  std::vector<SentMessage> h = {Push(absl::Hours(20)), Push(absl::Hours(5)),
                                Push(absl::Hours(1))};
  CapDecision d = CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing, h, kNow, policy);
  EXPECT_FALSE(d.allow);
  ASSERT_TRUE(d.violated.has_value());
  EXPECT_EQ(d.violated->window, absl::Hours(24));
  EXPECT_EQ(d.next_allowed, kNow + absl::Hours(4));  // the 20h-old send leaves the window
  h.erase(h.begin());
  EXPECT_TRUE(CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing, h, kNow, policy).allow);
}

TEST(FrequencyCapTest, WindowIsRollingAndHalfOpen) {
  CapPolicy policy{{{Channel::kPush, absl::Hours(24), 1}}, false};
  // Exactly 24 h ago is outside (now - window, now].
  EXPECT_TRUE(CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing,
                                {Push(absl::Hours(24))}, kNow, policy)
                  .allow);
  EXPECT_FALSE(CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing,
                                 {Push(absl::Hours(24) - absl::Seconds(1))}, kNow, policy)
                   .allow);
}

TEST(FrequencyCapTest, ScheduledSendsCount) {
  CapPolicy policy{{{Channel::kPush, absl::Hours(24), 1}}, false};
  // A send scheduled in an hour fills the window that would hold this one.
  CapDecision d = CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing,
                                    {Push(-absl::Hours(1))}, kNow, policy);
  EXPECT_FALSE(d.allow);
  EXPECT_EQ(d.next_allowed, kNow + absl::Hours(25));
  // Far enough ahead it does not.
  EXPECT_TRUE(CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing,
                                {Push(-absl::Hours(24))}, kNow, policy)
                  .allow);
}

// Issue 11, defect 7: email 2 / 24 h, many decisions within a minute, each
// scheduled at the earliest allowed instant: no 24 h window ever holds 3.
TEST(FrequencyCapTest, DeferredSendsNeverOverbookAnyWindow) {
  CapPolicy policy = DefaultCapPolicy();
  std::vector<SentMessage> h;
  for (int i = 0; i < 8; ++i) {
    const absl::Time now = kNow + absl::Seconds(7 * i);
    CapDecision d = CheckFrequencyCap(Channel::kEmail, MessageCategory::kMarketing, h, now, policy);
    if (i < 2) {
      EXPECT_TRUE(d.allow) << i;
    }
    if (i >= 2) {
      EXPECT_FALSE(d.allow) << i;
    }
    ASSERT_LT(d.next_allowed, absl::InfiniteFuture());
    h.push_back({d.next_allowed, Channel::kEmail, MessageCategory::kMarketing});
  }
  for (const SentMessage& a : h) {
    int in_window = 0, in_week = 0;
    for (const SentMessage& b : h) {
      in_window += b.at >= a.at && b.at < a.at + absl::Hours(24);
      in_week += b.at >= a.at && b.at < a.at + absl::Hours(24 * 7);
    }
    EXPECT_LE(in_window, 2) << absl::FormatTime(a.at);
    EXPECT_LE(in_week, 7) << absl::FormatTime(a.at);
  }
}

TEST(FrequencyCapTest, WeeklyCapAndLongestWait) {
  CapPolicy policy = DefaultCapPolicy();
  std::vector<SentMessage> h;
  for (int day = 1; day <= 5; ++day) {
    h.push_back(Push(absl::Hours(24 * day + 1)));
    h.push_back(Push(absl::Hours(24 * day + 2)));
  }
  CapDecision d = CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing, h, kNow, policy);
  EXPECT_FALSE(d.allow);
  EXPECT_EQ(d.violated->window, absl::Hours(24 * 7));
  // 10 sends in 7 days, cap 10: the oldest (122 h ago) must leave: 168 - 122 = 46 h.
  EXPECT_EQ(d.next_allowed, kNow + absl::Hours(46));
}

TEST(FrequencyCapTest, TransactionalNeverSuppressedNorCounted) {
  CapPolicy policy = DefaultCapPolicy();
  std::vector<SentMessage> h;
  for (int i = 0; i < 5; ++i) h.push_back(Push(absl::Hours(i + 1)));
  EXPECT_TRUE(
      CheckFrequencyCap(Channel::kPush, MessageCategory::kTransactional, h, kNow, policy).allow);
  std::vector<SentMessage> receipts;
  for (int i = 0; i < 5; ++i) {
    receipts.push_back(Push(absl::Hours(i + 1), MessageCategory::kTransactional));
  }
  EXPECT_TRUE(
      CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing, receipts, kNow, policy).allow);
  policy.count_transactional = true;
  EXPECT_FALSE(
      CheckFrequencyCap(Channel::kPush, MessageCategory::kMarketing, receipts, kNow, policy).allow);
}

TEST(FrequencyCapTest, ChannelsAreCappedSeparately) {
  CapPolicy policy = DefaultCapPolicy();
  std::vector<SentMessage> h;
  for (int i = 0; i < 5; ++i) h.push_back(Push(absl::Hours(i + 1)));
  EXPECT_TRUE(CheckFrequencyCap(Channel::kEmail, MessageCategory::kMarketing, h, kNow, policy).allow);
}

}  // namespace
}  // namespace tailor::decide
