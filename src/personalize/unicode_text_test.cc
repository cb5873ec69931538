#include "personalize/unicode_text.h"

#include "gtest/gtest.h"

namespace tailor::personalize {
namespace {

TEST(UnicodeTextTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Grüße 👋"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));       // truncated
}

TEST(UnicodeTextTest, GraphemeCounting) {
  EXPECT_EQ(CountGraphemes(""), 0u);
  EXPECT_EQ(CountGraphemes("abc"), 3u);
  EXPECT_EQ(CountGraphemes("e\u0301"), 1u);                 // combining accent
  EXPECT_EQ(CountGraphemes("🇩🇪"), 1u);                      // regional-indicator pair
  EXPECT_EQ(CountGraphemes("👨‍👩‍👧"), 1u);                 // ZWJ family
  EXPECT_EQ(CountGraphemes("Grüße 👋🏽"), 7u);
}

TEST(UnicodeTextTest, TruncateNeverSplitsAGrapheme) {
  EXPECT_EQ(TruncateGraphemes("Hello world", 8), "Hello w…");
  EXPECT_EQ(TruncateGraphemes("Hello world", 7), "Hello…");  // trailing space dropped
  EXPECT_EQ(TruncateGraphemes("Hello", 5), "Hello");
  EXPECT_EQ(TruncateGraphemes("🇩🇪🇫🇷🇮🇹", 2), "🇩🇪…");
  EXPECT_EQ(TruncateGraphemes("abc", 2, ""), "ab");
  EXPECT_EQ(TruncateGraphemes("abc", 0), "");
}

}  // namespace
}  // namespace tailor::personalize
