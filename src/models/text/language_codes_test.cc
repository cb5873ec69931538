#include "models/text/language_codes.h"

#include <gtest/gtest.h>

namespace tailor::text {
namespace {

TEST(LanguageCodesTest, PrimarySubtagLowercase) {
  EXPECT_EQ(CanonicalLanguage("pt-BR"), "pt");
  EXPECT_EQ(CanonicalLanguage("DE_at"), "de");
  EXPECT_EQ(CanonicalLanguage("haw"), "haw");
  EXPECT_EQ(CanonicalLanguage("und"), "und");
}

TEST(LanguageCodesTest, RetiredAndAliasCodes) {
  EXPECT_EQ(CanonicalLanguage("iw"), "he");
  EXPECT_EQ(CanonicalLanguage("jw"), "jv");
  EXPECT_EQ(CanonicalLanguage("in"), "id");
  EXPECT_EQ(CanonicalLanguage("nb-NO"), "no");
  EXPECT_EQ(CanonicalLanguage("fil"), "tl");
}

TEST(LanguageCodesTest, TraditionalChineseIsKeptApart) {
  EXPECT_EQ(CanonicalLanguage("zh"), "zh");
  EXPECT_EQ(CanonicalLanguage("zh-CN"), "zh");
  EXPECT_EQ(CanonicalLanguage("zh-Hant"), "zh-Hant");
  EXPECT_EQ(CanonicalLanguage("zh-TW"), "zh-Hant");
  EXPECT_EQ(CanonicalLanguage("zh-tw"), "zh-Hant");
}

TEST(LanguageCodesTest, NotALanguage) {
  EXPECT_EQ(CanonicalLanguage(""), "");
  EXPECT_EQ(CanonicalLanguage("e"), "");
  EXPECT_EQ(CanonicalLanguage("engl"), "");
  EXPECT_EQ(CanonicalLanguage("e1"), "");
  EXPECT_EQ(CanonicalLanguage("-en"), "");
}

}  // namespace
}  // namespace tailor::text
