#include "models/text/language_vote.h"

#include <gtest/gtest.h>

#include "models/text/afinn_lexicons.h"
#include "models/text/word_tokens.h"

namespace tailor::text {
namespace {

std::string Decide(const LanguageVote& vote, std::string_view text) {
  std::vector<std::string> words;
  FoldedWords(text, &words);
  return vote.Decide(words);
}

TEST(LanguageVoteTest, StrictMajorityOrNothing) {
  LanguageVote vote;
  vote.AddStopWords(StopWords::FromLists(
      {{"es", {"esto", "es", "no", "me"}}, {"pt", {"no", "me"}}, {"de", {"es", "und"}}}));
  EXPECT_EQ(Decide(vote, "Esto es algo"), "es");  // es 2, de 1
  EXPECT_EQ(Decide(vote, "no me"), "");           // es 2, pt 2: a tie is no answer
  EXPECT_EQ(Decide(vote, "xyz"), "");             // nothing covered
  EXPECT_EQ(Decide(vote, ""), "");
  // A word counts once per language however many lists hold it.
  vote.AddWord("pt", "algo");
  vote.AddWord("pt", "algo");
  EXPECT_EQ(Decide(vote, "no algo"), "pt");  // pt 2, es 1
}

TEST(LanguageVoteTest, RealListsTellShortTexts) {
  absl::StatusOr<StopWords> stop = StopWords::LoadDefault();
  absl::StatusOr<AfinnLexicons> afinn = AfinnLexicons::LoadDefault();
  if (!stop.ok() || !afinn.ok()) GTEST_SKIP() << "npm data packages missing (npm ci)";
  LanguageVote vote;
  vote.AddStopWords(*stop);
  vote.AddAfinn(*afinn);
  EXPECT_EQ(Decide(vote, "Esto es malísimo"), "es");
  EXPECT_EQ(Decide(vote, "Sehr gut"), "de");
  EXPECT_EQ(Decide(vote, "Molto bello"), "it");
  EXPECT_EQ(Decide(vote, "Heel slecht"), "nl");
  EXPECT_EQ(Decide(vote, "Muito bom"), "pt");
}

}  // namespace
}  // namespace tailor::text
