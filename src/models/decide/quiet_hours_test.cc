#include "models/decide/quiet_hours.h"

#include "gtest/gtest.h"
#include "models/decide/local_time.h"

namespace tailor::decide {
namespace {

absl::Time Utc(const char* rfc3339) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) << err;
  return t;
}

TEST(QuietHoursTest, ContainsAcrossMidnight) {
  QuietHours q{22 * 60, 7 * 60};
  EXPECT_TRUE(q.Contains(22 * 60));
  EXPECT_TRUE(q.Contains(23 * 60 + 59));
  EXPECT_TRUE(q.Contains(0));
  EXPECT_TRUE(q.Contains(6 * 60 + 59));
  EXPECT_FALSE(q.Contains(7 * 60));
  EXPECT_FALSE(q.Contains(21 * 60 + 59));
  QuietHours day{13 * 60, 15 * 60};
  EXPECT_TRUE(day.Contains(14 * 60));
  EXPECT_FALSE(day.Contains(15 * 60));
  EXPECT_FALSE((QuietHours{600, 600}).Contains(600));
}

TEST(QuietHoursTest, UserOverrideWins) {
  QuietHours tenant{22 * 60, 7 * 60}, user{23 * 60, 6 * 60};
  EXPECT_EQ(EffectiveQuietHours(tenant, user)->start_minute, 23 * 60);
  EXPECT_EQ(EffectiveQuietHours(tenant, std::nullopt)->start_minute, 22 * 60);
  EXPECT_FALSE(EffectiveQuietHours(std::nullopt, std::nullopt).has_value());
  EXPECT_FALSE(ValidateQuietHours({0, 1440}).ok());
  EXPECT_TRUE(ValidateQuietHours(user).ok());
}

TEST(QuietHoursTest, MovesToNearestEdgeAcrossMidnight) {
  const cctz::time_zone berlin = *LoadZone("Europe/Berlin");  // UTC+1 in November
  QuietHours q{22 * 60, 7 * 60};
  // 23:30 local: 91 minutes after the last allowed minute (21:59), 7.5 h before 07:00.
  QuietMove m = MoveOutOfQuietHours(Utc("2026-11-24T22:30:00Z"), berlin, q, std::nullopt);
  EXPECT_TRUE(m.moved);
  EXPECT_EQ(m.time, Utc("2026-11-24T20:59:00Z"));
  // Not allowed to go back before "now": the morning edge of the next day.
  m = MoveOutOfQuietHours(Utc("2026-11-24T22:30:00Z"), berlin, q, Utc("2026-11-24T22:30:00Z"));
  EXPECT_EQ(m.time, Utc("2026-11-25T06:00:00Z"));
  // 06:00 local, after midnight: the window began the previous evening; 07:00 is nearer.
  m = MoveOutOfQuietHours(Utc("2026-11-25T05:00:00Z"), berlin, q, std::nullopt);
  EXPECT_EQ(m.time, Utc("2026-11-25T06:00:00Z"));
  // Outside quiet hours nothing moves.
  m = MoveOutOfQuietHours(Utc("2026-11-25T11:00:00Z"), berlin, q, std::nullopt);
  EXPECT_FALSE(m.moved);
  EXPECT_EQ(m.time, Utc("2026-11-25T11:00:00Z"));
}

TEST(QuietHoursTest, DstEdgesTakeTheWidestWindow) {
  const cctz::time_zone berlin = *LoadZone("Europe/Berlin");
  // 2026-10-25: 03:00 CEST -> 02:00 CET, so 02:30 happens at 00:30Z and 01:30Z.
  QuietHours q{0, 2 * 60 + 30};
  QuietMove m = MoveOutOfQuietHours(Utc("2026-10-25T00:10:00Z"), berlin, q, std::nullopt);
  EXPECT_EQ(m.time, Utc("2026-10-25T01:30:00Z"));  // the second 02:30
  // 2026-03-29: 02:00 CET -> 03:00 CEST; an end at 02:30 does not exist and
  // becomes the transition instant 01:00Z (03:00 CEST).
  m = MoveOutOfQuietHours(Utc("2026-03-29T00:30:00Z"), berlin, q, std::nullopt);
  EXPECT_EQ(m.time, Utc("2026-03-29T01:00:00Z"));
}

}  // namespace
}  // namespace tailor::decide
