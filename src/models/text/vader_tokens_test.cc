#include "models/text/vader_tokens.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tailor::text {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string_view> views;
  SplitVaderTokens(text, &views);
  return {views.begin(), views.end()};
}

TEST(VaderTokensTest, StripsOneListedAffixFromWords) {
  EXPECT_THAT(Tokens("good! bad, 'ok' ugly!! fine?!? nice????"),
              ElementsAre("good", "bad", "'ok'", "ugly", "fine", "nice????"));
  EXPECT_THAT(Tokens("!great .fine"), ElementsAre("great", "fine"));
}

TEST(VaderTokensTest, KeepsEmoticonsAndContractions) {
  EXPECT_THAT(Tokens("I don't :) like it :-( <3"),
              ElementsAre("don't", ":)", "like", "it", ":-(", "<3"));
  EXPECT_THAT(Tokens("don't!"), ElementsAre("don't!"));  // inner mark: no stripping
}

TEST(VaderTokensTest, DropsSingleUnitTokensAndSplitsOnJsWhitespace) {
  EXPECT_THAT(Tokens("a I x ok\u00A0fine\u3000\tyes  "), ElementsAre("ok", "fine", "yes"));
  // A single emoji is two UTF-16 units, so it stays; a single é does not.
  EXPECT_THAT(Tokens("\xC3\xA9 \xF0\x9F\x98\x80"), ElementsAre("\xF0\x9F\x98\x80"));
  // A stripped word must still be longer than one unit.
  EXPECT_THAT(Tokens("x! ab!"), ElementsAre("x!", "ab"));
  EXPECT_THAT(Tokens(""), ElementsAre());
}

TEST(VaderTokensTest, CapsDifferential) {
  EXPECT_TRUE(IsAllCapsWord("GOOD"));
  EXPECT_TRUE(IsAllCapsWord(":)WOW"));
  EXPECT_FALSE(IsAllCapsWord(":)"));
  EXPECT_FALSE(IsAllCapsWord("Good"));
  std::vector<std::string_view> t = {"GOOD", "day"};
  EXPECT_TRUE(HasCapDifferential(t));
  t = {"GOOD", "DAY"};
  EXPECT_FALSE(HasCapDifferential(t));
  t = {"good", "day"};
  EXPECT_FALSE(HasCapDifferential(t));
}

}  // namespace
}  // namespace tailor::text
