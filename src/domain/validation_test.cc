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

TEST(ValidationTest, Rfc3339RoundTrip) {
  auto t = ParseRfc3339("2024-05-01T14:00:00.25+02:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339(*t), "2024-05-01T12:00:00.25Z");
  EXPECT_FALSE(ParseRfc3339("2024-05-01").ok());
  EXPECT_FALSE(ParseRfc3339("2024-13-01T00:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339("yesterday at noon, roughly").ok());
}

}  // namespace
}  // namespace tailor::domain
