#include "models/text/afinn_scorer.h"

#include <gtest/gtest.h>

namespace tailor::text {
namespace {

class AfinnScorerTest : public ::testing::Test {
 protected:
  AfinnScorerTest()
      : lexicons_(AfinnLexicons::FromEntries(
            "fr", {{"bien", 3}, {"horrible", -2}, {"à la perfection", 3}, {"a bordo", 1}},
            {"pas", "ne pas", "non"})),
        scorer_(lexicons_),
        fr_(*lexicons_.Find("fr")) {}

  double Compound(std::string_view text) { return scorer_.Score(text, fr_).compound; }

  AfinnLexicons lexicons_;
  AfinnScorer scorer_;
  const AfinnLanguage& fr_;
};

TEST_F(AfinnScorerTest, OneWordOnVadersScale) {
  // rating 3 -> valence 2.4 -> 2.4 / sqrt(2.4^2 + 15)
  EXPECT_NEAR(Compound("Très bien"), RoundLikeJsToFixed(NormalizeVader(2.4), 4), 1e-12);
  const PolarityScores s = scorer_.Score("Très bien", fr_);
  EXPECT_NEAR(s.positive + s.neutral + s.negative, 1.0, 0.002);
  EXPECT_GT(s.positive, 0);
  EXPECT_EQ(s.negative, 0);
  EXPECT_LT(Compound("C'est horrible"), 0);
  const PolarityScores none = scorer_.Score("", fr_);
  EXPECT_EQ(none.compound, 0);
  EXPECT_EQ(none.neutral, 0);
}

TEST_F(AfinnScorerTest, NegatorFlipsTheNextWords) {
  EXPECT_LT(Compound("Ce n'est pas bien"), 0);
  EXPECT_NEAR(Compound("pas bien"), RoundLikeJsToFixed(NormalizeVader(2.4 * -0.74), 4), 1e-12);
  // Beyond the window the negator no longer applies.
  EXPECT_GT(Compound("pas un deux trois bien"), 0);
  // Not cumulative: "ne ... pas" is one negation.
  EXPECT_LT(Compound("ce ne pas bien"), 0);
}

TEST_F(AfinnScorerTest, PhrasesElisionAndExclamation) {
  EXPECT_NEAR(Compound("Fait à la perfection"), RoundLikeJsToFixed(NormalizeVader(2.4), 4), 1e-12);
  EXPECT_LT(Compound("L'horrible"), 0);  // elided article
  EXPECT_GT(Compound("Très bien!!!"), Compound("Très bien"));
}

TEST_F(AfinnScorerTest, InflectedFormsMatchByStem) {
  // "horribles" is not in the list; its French stem is the stem of "horrible".
  EXPECT_LT(Compound("Des choses horribles"), 0);
}

}  // namespace
}  // namespace tailor::text
