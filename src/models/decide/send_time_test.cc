#include "models/decide/send_time.h"

#include <numeric>

#include "gtest/gtest.h"

namespace tailor::decide {
namespace {

absl::Time Utc(const char* rfc3339) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) << err;
  return t;
}

cctz::time_zone Zone(const char* name) {
  auto tz = LoadZone(name);
  EXPECT_TRUE(tz.ok()) << tz.status();
  return *tz;
}

TEST(LocalTimeTest, HourOfWeekIsLocal) {
  // 2026-11-23 is a Monday. 00:30Z is Monday 09:30 in Tokyo, Sunday 19:30 in New York.
  EXPECT_EQ(HourOfWeek(Utc("2026-11-23T00:30:00Z"), Zone("Asia/Tokyo")), 9);
  EXPECT_EQ(HourOfWeek(Utc("2026-11-23T00:30:00Z"), Zone("America/New_York")), 6 * 24 + 19);
  EXPECT_FALSE(LoadZone("Mars/Olympus").ok());
}

TEST(SendTimeTest, PosteriorShrinksTowardTenant) {
  HourOfWeekHistogram user, tenant;
  user.AddToHour(10, 6);
  tenant.AddToHour(10, 1);
  tenant.AddToHour(20, 3);
  auto p = PosteriorHourDistribution(user, tenant, 4.0);
  // (c_h + kappa * pi_h) / (N + kappa) with pi = {10: 0.25, 20: 0.75}.
  EXPECT_DOUBLE_EQ(p[10], (6 + 4 * 0.25) / 10);
  EXPECT_DOUBLE_EQ(p[20], (0 + 4 * 0.75) / 10);
  EXPECT_DOUBLE_EQ(p[0], 0.0);
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-12);
  // No data anywhere: uniform.
  auto u = PosteriorHourDistribution(HourOfWeekHistogram(), HourOfWeekHistogram(), 4.0);
  EXPECT_DOUBLE_EQ(u[77], 1.0 / kHoursPerWeek);
}

TEST(SendTimeTest, BestSlotInUsersTimeZone) {
  const cctz::time_zone tokyo = Zone("Asia/Tokyo");
  HourOfWeekHistogram user, tenant;
  for (int week = 0; week < 5; ++week) {  // Tuesdays 09:30 in Tokyo
    user.Add(Utc("2026-10-20T00:30:00Z") + absl::Hours(24 * 7 * week), tokyo);
  }
  tenant.AddToHour(20, 100);  // the tenant crowd: Monday 20:00
  SendTimeOptions weak;
  weak.prior_strength = 2;
  auto d = BestSendTime(user, tenant, "Asia/Tokyo", Utc("2026-11-23T00:00:00Z"),
                        Utc("2026-11-25T00:00:00Z"), weak);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->send_at, Utc("2026-11-24T00:00:00Z"));  // Tuesday 09:00 JST
  EXPECT_EQ(d->hour_of_week, 24 + 9);
  EXPECT_NEAR(d->user_weight, 5.0 / 7.0, 1e-9);
  // With a strong prior the tenant's hour wins instead.
  SendTimeOptions strong;
  strong.prior_strength = 1000;
  d = BestSendTime(user, tenant, "Asia/Tokyo", Utc("2026-11-23T00:00:00Z"),
                   Utc("2026-11-25T00:00:00Z"), strong);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->send_at, Utc("2026-11-23T11:00:00Z"));  // Monday 20:00 JST
}

TEST(SendTimeTest, SpringForwardKeepsLocalHour) {
  // History from January (EST, UTC-5): Sundays 09:15 local = 14:15Z.
  const cctz::time_zone ny = Zone("America/New_York");
  HourOfWeekHistogram user;
  for (const char* t : {"2026-01-04T14:15:00Z", "2026-01-11T14:15:00Z", "2026-01-18T14:15:00Z"}) {
    user.Add(Utc(t), ny);
  }
  // 2026-03-08 is the DST start day (02:00 -> 03:00): 09:00 EDT is 13:00Z.
  auto d = BestSendTime(user, HourOfWeekHistogram(), "America/New_York",
                        Utc("2026-03-07T12:00:00Z"), Utc("2026-03-09T00:00:00Z"), {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->send_at, Utc("2026-03-08T13:00:00Z"));
}

TEST(SendTimeTest, FallBackRepeatedHourTakesFirstOccurrence) {
  const cctz::time_zone ny = Zone("America/New_York");
  HourOfWeekHistogram user;
  user.Add(Utc("2026-10-25T05:30:00Z"), ny);  // Sunday 01:30 EDT
  user.Add(Utc("2026-10-18T05:30:00Z"), ny);
  // 2026-11-01 01:00-01:59 happens twice: 05:00Z (EDT) and 06:00Z (EST).
  auto d = BestSendTime(user, HourOfWeekHistogram(), "America/New_York",
                        Utc("2026-10-31T12:00:00Z"), Utc("2026-11-02T00:00:00Z"), {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->send_at, Utc("2026-11-01T05:00:00Z"));
  // If the window starts after the first one, the second is still a candidate.
  d = BestSendTime(user, HourOfWeekHistogram(), "America/New_York",
                   Utc("2026-11-01T05:30:00Z"), Utc("2026-11-02T00:00:00Z"), {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->send_at, Utc("2026-11-01T05:30:00Z"));  // still local 01:30 EDT
  EXPECT_EQ(d->hour_of_week, 6 * 24 + 1);
}

TEST(SendTimeTest, QuietHoursMoveTheChoice) {
  HourOfWeekHistogram user;
  user.AddToHour(24 + 23, 20);  // Tuesday 23:00 local
  user.AddToHour(48 + 8, 5);    // Wednesday 08:00 local
  const absl::Time start = Utc("2026-11-24T18:00:00Z");  // Tuesday 19:00 in Berlin
  auto loud = BestSendTime(user, HourOfWeekHistogram(), "Europe/Berlin", start,
                           start + absl::Hours(24), {});
  ASSERT_TRUE(loud.ok());
  EXPECT_EQ(loud->send_at, Utc("2026-11-24T22:00:00Z"));
  SendTimeOptions quiet;
  quiet.quiet_hours = QuietHours{22 * 60, 7 * 60};
  auto d = BestSendTime(user, HourOfWeekHistogram(), "Europe/Berlin", start,
                        start + absl::Hours(24), quiet);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->send_at, Utc("2026-11-25T07:00:00Z"));  // Wednesday 08:00 local
  // A window entirely inside quiet hours has no answer.
  auto none = BestSendTime(user, HourOfWeekHistogram(), "Europe/Berlin",
                           Utc("2026-11-24T22:00:00Z"), Utc("2026-11-25T04:00:00Z"), quiet);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
}

TEST(SendTimeTest, BadInputs) {
  HourOfWeekHistogram h;
  const absl::Time t = Utc("2026-11-24T18:00:00Z");
  EXPECT_EQ(BestSendTime(h, h, "Nowhere/City", t, t + absl::Hours(1), {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BestSendTime(h, h, "UTC", t, t, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BestSendTime(h, h, "UTC", t, t + absl::Hours(24 * 40), {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  SendTimeOptions bad;
  bad.quiet_hours = QuietHours{-5, 60};
  EXPECT_EQ(BestSendTime(h, h, "UTC", t, t + absl::Hours(2), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tailor::decide
