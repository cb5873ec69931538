#include "insights/user_activity.h"

#include <cmath>

#include <gtest/gtest.h>

namespace tailor::insights {
namespace {

absl::Time Day(int d, int hour = 12) {
  return absl::FromCivil(absl::CivilHour(2024, 1, 1, hour), absl::UTCTimeZone()) + absl::Hours(24 * d);
}

ActivityEvent Action(absl::Time t, float weight = 1.0f) {
  ActivityEvent e;
  e.time = t;
  e.weight = weight;
  return e;
}

TEST(UserActivityTest, OrderInsensitiveCounters) {
  UserActivity forward, backward;
  for (int d : {0, 3, 3, 10}) forward.Apply(Action(Day(d)));
  for (int d : {10, 3, 0, 3}) backward.Apply(Action(Day(d)));
  for (const UserActivity* a : {&forward, &backward}) {
    EXPECT_EQ(a->events(), 4);
    EXPECT_EQ(a->active_days(), 3);
    EXPECT_EQ(a->first_seen(), Day(0));
    EXPECT_EQ(a->last_seen(), Day(10));
    EXPECT_DOUBLE_EQ(a->RecencyDays(Day(12)), 2.0);
    EXPECT_EQ(a->EventsWithin(Day(10), 7), 3);  // days 3..10
    EXPECT_EQ(a->ActiveDaysWithin(Day(10), 7), 2);
  }
  EXPECT_DOUBLE_EQ(forward.log_engagement(), backward.log_engagement());
}

TEST(UserActivityTest, EngagementHalvesEveryHalfLife) {
  UserActivity a;
  a.Apply(Action(Day(0), 4.0f));
  EXPECT_NEAR(a.EngagementAt(Day(0)), 4.0, 1e-9);
  EXPECT_NEAR(a.EngagementAt(Day(14)), 2.0, 1e-9);
  // A negative-weight action still counts 0.5; a tenant-side send does not.
  UserActivity b;
  b.Apply(Action(Day(0), -4.0f));
  ActivityEvent sent = Action(Day(1), 0.0f);
  sent.user_action = false;
  sent.step = NotificationStep::kSent;
  sent.channel = ChannelIndex("email");
  b.Apply(sent);
  EXPECT_NEAR(b.EngagementAt(Day(0)), 0.5, 1e-9);
  EXPECT_EQ(b.events(), 1);
  EXPECT_EQ(b.last_seen(), Day(0));
  EXPECT_EQ(b.channels()[0].sent, 1);
}

TEST(UserActivityTest, TrendComparesTwoFortnights) {
  UserActivity rising;
  rising.Apply(Action(Day(1)));
  for (int d = 20; d < 28; ++d) rising.Apply(Action(Day(d)));
  EXPECT_NEAR(rising.Trend(Day(28)), (8.0 - 1.0) / 10.0, 1e-12);
  UserActivity fading;
  for (int d = 1; d < 9; ++d) fading.Apply(Action(Day(d)));
  EXPECT_LT(fading.Trend(Day(28)), -0.8);
}

TEST(UserActivityTest, PurchasesMergeSameDay) {
  UserActivity a;
  for (auto [d, amount] : {std::pair{0, 10.0}, {0, 5.0}, {7, 20.0}, {14, 40.0}}) {
    ActivityEvent e = Action(Day(d), 5.0f);
    e.purchase = true;
    e.amount = amount;
    a.Apply(e);
  }
  EXPECT_EQ(a.purchase_days(), 3);
  EXPECT_DOUBLE_EQ(a.purchase_total(), 75.0);
  auto p = a.Purchases();
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->repeat_days, 2);
  EXPECT_DOUBLE_EQ(p->repeat_mean_amount, 30.0);
}

TEST(UserActivityTest, HourOfWeekStartsMondayUtc) {
  UserActivity a;
  // 2024-01-01 was a Monday.
  a.Apply(Action(Day(0, 5)));
  a.Apply(Action(Day(6, 23)));  // Sunday 23:00
  ASSERT_EQ(a.hour_of_week().size(), 2u);
  EXPECT_EQ(a.hour_of_week()[0].first, 5);
  EXPECT_EQ(a.hour_of_week()[1].first, 167);
}

TEST(UserActivityTest, FromEventReadsNotificationFunnelAndPurchaseValue) {
  domain::Event e;
  e.type = "notification_opened";
  e.timestamp = Day(0);
  e.context["channel"] = "push";
  ActivityEvent a = ActivityFromEvent(e, 0.0f);
  EXPECT_EQ(a.step, NotificationStep::kOpened);
  EXPECT_EQ(a.channel, 2);
  EXPECT_TRUE(a.user_action);
  e.type = "notification_delivered";
  EXPECT_FALSE(ActivityFromEvent(e, 0.0f).user_action);
  e.type = "purchase";
  e.value = 12.5;
  ActivityEvent p = ActivityFromEvent(e, 5.0f);
  EXPECT_TRUE(p.purchase);
  EXPECT_DOUBLE_EQ(p.amount, 12.5);
}

TEST(UserActivityTest, FeaturesAreFinite) {
  UserActivity a;
  a.Apply(Action(Day(0)));
  for (double f : ActivityFeatures(a, Day(40))) EXPECT_TRUE(std::isfinite(f));
  EXPECT_NEAR(ActivityFeatures(a, Day(40))[0], std::log1p(40.0), 1e-12);
}

}  // namespace
}  // namespace tailor::insights

namespace tailor::insights {
namespace {

TEST(UserActivityTest, EmptyActivityAtAnyTimeIsZero) {
  UserActivity a;
  for (absl::Time now : {absl::InfinitePast(), absl::InfiniteFuture(), absl::UnixEpoch()}) {
    EXPECT_EQ(a.EventsWithin(now, 29), 0);
    EXPECT_EQ(a.ActiveDaysWithin(now, 29), 0);
    EXPECT_EQ(a.Trend(now), 0.0);
    EXPECT_EQ(a.EngagementAt(now), 0.0);
  }
}

}  // namespace
}  // namespace tailor::insights
