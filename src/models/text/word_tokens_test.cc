#include "models/text/word_tokens.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor::text {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  FoldedWords(text, &words);
  return words;
}

TEST(WordTokensTest, SplitsFoldsAndKeepsApostrophes) {
  EXPECT_THAT(Words("C\xE2\x80\x99"
                    "est TRÈS bien, 10/10!"),
              ElementsAre("c'est", "très", "bien", "10", "10"));
  EXPECT_THAT(Words("Straße :-) \xF0\x9F\x98\x80"), ElementsAre("strasse"));
  EXPECT_THAT(Words(""), ElementsAre());
}

TEST(WordTokensTest, FoldCaseMatchesWords) {
  EXPECT_EQ(FoldCase("ÉTÉ"), "été");
  EXPECT_EQ(FoldCase("Straße"), "strasse");
}

}  // namespace
}  // namespace tailor::text
