#include "models/text/utf8_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace tailor::text {
namespace {

TEST(Utf8ScanTest, DecodesAllLengths) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(text, &pos), U'a');
  EXPECT_EQ(DecodeUtf8(text, &pos), U'\u00E9');
  EXPECT_EQ(DecodeUtf8(text, &pos), U'\u20AC');
  EXPECT_EQ(DecodeUtf8(text, &pos), U'\U0001F600');
  EXPECT_EQ(pos, text.size());
}

TEST(Utf8ScanTest, InvalidBytesBecomeReplacementAndAdvanceOne) {
  for (const std::string& bad : {std::string("\xFF"), std::string("\xC3"), std::string("\xE2\x82"),
                                 std::string("\xC0\x80"), std::string("\xED\xA0\x80")}) {
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(bad, &pos), kReplacementChar);
    EXPECT_EQ(pos, 1u);
  }
}

TEST(Utf8ScanTest, AppendRoundTrips) {
  std::string out;
  for (char32_t cp : {U'x', U'\u00E9', U'\u3000', U'\U0001F44D'}) AppendUtf8(cp, &out);
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(out, &pos), U'x');
  EXPECT_EQ(DecodeUtf8(out, &pos), U'\u00E9');
  EXPECT_EQ(DecodeUtf8(out, &pos), U'\u3000');
  EXPECT_EQ(DecodeUtf8(out, &pos), U'\U0001F44D');
}

TEST(Utf8ScanTest, JavaScriptWhitespaceAndLength) {
  EXPECT_TRUE(IsJsWhitespace(U' '));
  EXPECT_TRUE(IsJsWhitespace(U'\t'));
  EXPECT_TRUE(IsJsWhitespace(U'\u00A0'));
  EXPECT_TRUE(IsJsWhitespace(U'\u3000'));
  EXPECT_TRUE(IsJsWhitespace(U'\uFEFF'));
  EXPECT_FALSE(IsJsWhitespace(U'\u0085'));  // NEL is not \s in JavaScript
  EXPECT_FALSE(IsJsWhitespace(U'\u200B'));
  EXPECT_EQ(Utf16Length("ab"), 2u);
  EXPECT_EQ(Utf16Length("\xC3\xA9"), 1u);          // é
  EXPECT_EQ(Utf16Length("\xF0\x9F\x98\x80"), 2u);  // 😀 is a surrogate pair
  EXPECT_TRUE(IsAscii("plain"));
  EXPECT_FALSE(IsAscii("caf\xC3\xA9"));
}

}  // namespace
}  // namespace tailor::text
