#include "models/text/emoji_translation.h"

#include <gtest/gtest.h>

#include <string>

namespace tailor::text {
namespace {

SentimentLexicon Lexicon() {
  return SentimentLexicon::FromEntries(
      {{"good", 1.9}},
      {{U'\U0001F600', "grinning face"}, {U'\U0001F44D', "thumbs up"}, {U'\u2764', "red heart"}});
}

std::string Translate(std::string_view text) {
  std::string out;
  return TranslateEmoji(text, Lexicon(), &out) ? out : "<unchanged>";
}

TEST(EmojiTranslationTest, ReplacesEmojiByNamesWithVaderSpacing) {
  EXPECT_EQ(Translate("good \xF0\x9F\x98\x80"), "good grinning face");
  EXPECT_EQ(Translate("good\xF0\x9F\x98\x80!"), "good grinning face!");
  EXPECT_EQ(Translate("\xF0\x9F\x98\x80\xF0\x9F\x98\x80"), "grinning face grinning face");
  EXPECT_EQ(Translate("  \xF0\x9F\x98\x80  "), "grinning face");  // trimmed
}

TEST(EmojiTranslationTest, DropsModifiersOfTranslatedEmoji) {
  // 👍🏽 (skin tone) and ❤️ (VS16) become plain names.
  EXPECT_EQ(Translate("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ok"), "thumbs up ok");
  EXPECT_EQ(Translate("\xE2\x9D\xA4\xEF\xB8\x8F it"), "red heart it");
}

TEST(EmojiTranslationTest, LeavesTextWithoutKnownEmojiAlone) {
  EXPECT_EQ(Translate("plain ascii"), "<unchanged>");
  EXPECT_EQ(Translate("caf\xC3\xA9 \xF0\x9F\x90\xB1"), "<unchanged>");  // 🐱 not in this lexicon
  std::string out;
  EXPECT_FALSE(TranslateEmoji("\xF0\x9F\x98\x80", SentimentLexicon::FromEntries({{"x", 1}}), &out));
}

}  // namespace
}  // namespace tailor::text
