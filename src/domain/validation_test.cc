#include "domain/validation.h"

#include <gtest/gtest.h>

namespace tailor::domain {
namespace {

TEST(ValidationTest, Ids) {
  EXPECT_TRUE(ValidateId("u1").ok());
  EXPECT_TRUE(ValidateId("użytkownik-é").ok());
  EXPECT_TRUE(ValidateId(std::string(128, 'a')).ok());
  EXPECT_FALSE(ValidateId("").ok());
  EXPECT_FALSE(ValidateId(std::string(129, 'a')).ok());
  EXPECT_FALSE(ValidateId("a\nb").ok());
  EXPECT_FALSE(ValidateId(std::string("a\0b", 3)).ok());
  EXPECT_FALSE(ValidateId("a\x7f").ok());
  EXPECT_FALSE(ValidateId("\xff\xfe").ok());
}

TEST(ValidationTest, Utf8) {
  EXPECT_TRUE(IsValidUtf8("héllo 😀"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
}

TEST(ValidationTest, TimeZones) {
  EXPECT_TRUE(ValidateTimeZone("Europe/Paris").ok());
  EXPECT_TRUE(ValidateTimeZone("America/Argentina/Buenos_Aires").ok());
  EXPECT_TRUE(ValidateTimeZone("UTC").ok());
  EXPECT_FALSE(ValidateTimeZone("Mars/Olympus").ok());
  EXPECT_FALSE(ValidateTimeZone("../../etc/passwd").ok());
  EXPECT_FALSE(ValidateTimeZone("").ok());
}

TEST(ValidationTest, Locales) {
  EXPECT_TRUE(ValidateLocale("en").ok());
  EXPECT_TRUE(ValidateLocale("pt-BR").ok());
  EXPECT_TRUE(ValidateLocale("zh-Hant-TW").ok());
  EXPECT_FALSE(ValidateLocale("e").ok());
  EXPECT_FALSE(ValidateLocale("en--US").ok());
  EXPECT_FALSE(ValidateLocale("12").ok());
}

TEST(ValidationTest, Rfc3339FormatHasZeroThreeOrSixFractionDigits) {
  const absl::Time base = absl::FromUnixSeconds(1714564800);  // 2024-05-01T12:00:00Z
  EXPECT_EQ(FormatRfc3339(base), "2024-05-01T12:00:00Z");
  EXPECT_EQ(FormatRfc3339(base + absl::Milliseconds(5)), "2024-05-01T12:00:00.005Z");
  EXPECT_EQ(FormatRfc3339(base + absl::Microseconds(250001)), "2024-05-01T12:00:00.250001Z");
  // Finer than the microsecond (absl::Time keeps quarter nanoseconds, as
  // generated data may): dropped toward the past, never 10 or 11 digits.
  EXPECT_EQ(FormatRfc3339(base + absl::Nanoseconds(123456789) + absl::Nanoseconds(1) / 4),
            "2024-05-01T12:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339(base - absl::Nanoseconds(1)), "2024-05-01T11:59:59.999999Z");
  EXPECT_EQ(FormatRfc3339(absl::FromUnixMicros(-1)), "1969-12-31T23:59:59.999999Z");
  auto nine = ParseRfc3339("2024-05-01T12:00:00.123456789Z");
  ASSERT_TRUE(nine.ok());
  EXPECT_EQ(FormatRfc3339(*nine), "2024-05-01T12:00:00.123456Z");
}

// Incoming times are normalized to the stored precision, the microsecond,
// whatever number of digits they were written with.
TEST(ValidationTest, Rfc3339ParseNormalizesToTheMicrosecond) {
  const absl::Time base = absl::FromUnixSeconds(1714564800);  // 2024-05-01T12:00:00Z
  auto nine = ParseRfc3339("2024-05-01T12:00:00.123456789Z");
  ASSERT_TRUE(nine.ok());
  EXPECT_EQ(*nine, base + absl::Microseconds(123456));
  auto eleven = ParseRfc3339("2024-05-01T14:00:00.12345678901+02:00");
  ASSERT_TRUE(eleven.ok());
  EXPECT_EQ(*eleven, base + absl::Microseconds(123456));
  auto before_epoch = ParseRfc3339("1969-12-31T23:59:59.9999999Z");
  ASSERT_TRUE(before_epoch.ok());
  EXPECT_EQ(*before_epoch, absl::FromUnixMicros(-1));
}

TEST(ValidationTest, Rfc3339RoundTrip) {
  auto t = ParseRfc3339("2024-05-01T14:00:00.25+02:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339(*t), "2024-05-01T12:00:00.250Z");
  EXPECT_FALSE(ParseRfc3339("2024-05-01").ok());
  EXPECT_FALSE(ParseRfc3339("2024-13-01T00:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339("yesterday at noon, roughly").ok());
}

}  // namespace
}  // namespace tailor::domain
