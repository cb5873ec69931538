// Expected scores in the *Reference* tests were produced by the npm package
// vader-sentiment 1.1.3 itself, on 2026-11-22, with
//   printf '%s\n' "<sentence>" | node tools/sentiment_eval/vader_reference.js
// and are committed here as constants: the C++ port must reproduce the
// JavaScript implementation rule by rule. They need the real lexicon
// (`npm ci` in the repository root) and are skipped without it. The
// *Synthetic* tests use a hand-made lexicon and hand-computed values.
#include "models/text/vader_scorer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>

namespace tailor::text {
namespace {

struct Expected {
  const char* text;
  double compound, positive, neutral, negative;
};

const SentimentLexicon* RealLexicon() {
  static const SentimentLexicon* lexicon = [] {
    auto loaded = SentimentLexicon::LoadFromDirectory(std::filesystem::path(TAILOR_SOURCE_DIR) /
                                                      "node_modules" / "vader-sentiment");
    return loaded.ok() ? new SentimentLexicon(*std::move(loaded)) : nullptr;
  }();
  return lexicon;
}

#define REQUIRE_LEXICON()       \
  if (RealLexicon() == nullptr) \
  GTEST_SKIP() << "node_modules/vader-sentiment missing: run `npm ci` in the repository root"

void ExpectReference(const VaderScorer& scorer, const Expected& e) {
  const PolarityScores s = scorer.Score(e.text);
  EXPECT_NEAR(s.compound, e.compound, 1e-9) << e.text;
  EXPECT_NEAR(s.positive, e.positive, 1e-9) << e.text;
  EXPECT_NEAR(s.neutral, e.neutral, 1e-9) << e.text;
  EXPECT_NEAR(s.negative, e.negative, 1e-9) << e.text;
}

void ExpectAllReference(std::initializer_list<Expected> cases) {
  const VaderScorer scorer(*RealLexicon(), VaderOptions{.without_doubt = false});
  for (const Expected& e : cases) ExpectReference(scorer, e);
}

TEST(VaderScorerReferenceTest, PlainLexiconWords) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"VADER is smart, handsome, and funny.", 0.8316, 0.746, 0.254, 0},
      {"The book was good.", 0.4404, 0.492, 0.508, 0},
      {"", 0, 0, 0, 0},
  });
}

TEST(VaderScorerReferenceTest, Negation) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"VADER is not smart, handsome, nor funny.", -0.7424, 0, 0.354, 0.646},
      {"At least it isn't a horrible book.", 0.431, 0.363, 0.637, 0},
      {"Not bad at all", -0.5423, 0, 0.462, 0.538},  // "Not" is case-sensitive upstream
      {"I don't like it", -0.2755, 0, 0.487, 0.513},
      {"It wasn't good", -0.3412, 0, 0.454, 0.546},
      {"I do not hate it", 0.4585, 0.5, 0.5, 0},
      {"It is not not good", 0.2594, 0.338, 0.662, 0},
      {"Barely works, not worth it.", -0.1033, 0, 0.74, 0.26},
      {"He was without doubt a great teacher.", -0.2924, 0.224, 0.425, 0.35},
  });
}

TEST(VaderScorerReferenceTest, NeverSoAndThis) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"I never so loved a guitar.", 0.7776, 0.659, 0.341, 0},
      {"This is never this good.", 0.677, 0.533, 0.467, 0},
  });
}

TEST(VaderScorerReferenceTest, Least) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"It is the least helpful string I own.", -0.3252, 0, 0.72, 0.28},
      {"It is at least helpful.", 0.4215, 0.412, 0.588, 0},
      {"This is very least bad.", -0.5829, 0, 0.514, 0.486},
  });
}

TEST(VaderScorerReferenceTest, BoostersAndDampeners) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"VADER is very smart, handsome, and funny.", 0.8545, 0.701, 0.299, 0},
      {"I am so happy", 0.6115, 0.666, 0.334, 0},
      {"I am barely happy", 0.5279, 0.63, 0.37, 0},
      {"Hardly ever bad", -0.4976, 0, 0.383, 0.617},
      {"Today only kinda sux! But I'll get by, lol", 0.2228, 0.251, 0.569, 0.179},
  });
}

TEST(VaderScorerReferenceTest, KindOfAndSortOf) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"The book was kind of good.", 0.3832, 0.343, 0.657, 0},
      {"I am sort of happy", 0.5279, 0.532, 0.468, 0},
  });
}

TEST(VaderScorerReferenceTest, AllCapsEmphasisOnlyWhenCaseIsMixed) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"VADER is VERY SMART, handsome, and FUNNY.", 0.9227, 0.754, 0.246, 0},
      {"Today SUX!", -0.5461, 0, 0.221, 0.779},
      {"GOOD", 0.4404, 1, 0, 0},  // all caps everywhere: no emphasis
      {"Good GOOD good", 0.8567, 1, 0, 0},
      {"Pretty DAMN good", 0.3954, 0.64, 0, 0.36},
  });
}

TEST(VaderScorerReferenceTest, ContrastiveBut) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"The plot was good, but the characters are uncompelling and the dialog is not great.",
       -0.7042, 0.094, 0.579, 0.327},
      {"The case is good but the strings are terrible", -0.4939, 0.149, 0.534, 0.317},
      {"The case is good BUT the strings are terrible", -0.4939, 0.149, 0.534, 0.317},
  });
}

TEST(VaderScorerReferenceTest, ExclamationAndQuestionMarks) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342, 0.767, 0.233, 0},
      {"The strap is good?", 0.4404, 0.492, 0.508, 0},
      {"The strap is good??", 0.504, 0.521, 0.479, 0},
      // "good????" keeps its marks (not in the reference's PUNC_LIST): neutral.
      {"The strap is good????", 0, 0, 1, 0},
      {"This is good!!!!!!", 0, 0, 1, 0},
      {"!great", 0.6588, 1, 0, 0},
      {"great!?!", 0.6892, 1, 0, 0},
  });
}

TEST(VaderScorerReferenceTest, Idioms) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"The tone is the bomb.", 0.6124, 0.5, 0.5, 0},
      {"That song is the shit", 0.6124, 0.5, 0.5, 0},
      {"yeah right great deal", 0.743, 0.759, 0.241, 0},
      {"It cut the mustard nicely", 0.2023, 0.362, 0.375, 0.263},
      {"It was the kiss of death for the band", -0.6124, 0, 0.583, 0.417},
  });
}

TEST(VaderScorerReferenceTest, Emoticons) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"Make sure you :) or :D today!", 0.8633, 0.706, 0.294, 0},
      {":( sad", -0.7184, 0, 0, 1},
      {"I am :-( today", -0.3612, 0, 0.444, 0.556},
  });
}

TEST(VaderScorerReferenceTest, PunctuationAffixes) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"\"great\"", 0, 0, 1, 0},  // marks on both sides are not stripped
      {"(great)", 0, 0, 1, 0},
  });
}

TEST(VaderScorerReferenceTest, UntranslatedEmojiAreIgnored) {
  REQUIRE_LEXICON();
  ExpectAllReference({
      {"I love it 😍", 0.6369, 0.677, 0.323, 0},
      {"Terrible 😡😡 broken", -0.7351, 0, 0.139, 0.861},
  });
}

TEST(VaderScorerTest, WithoutDoubtIsNotANegationByDefault) {
  REQUIRE_LEXICON();
  const VaderScorer extended(*RealLexicon());
  const VaderScorer reference(*RealLexicon(), VaderOptions{.without_doubt = false});
  for (const char* text : {"He was without doubt a great teacher.", "Without a doubt the best amp.",
                           "without a doubt good"}) {
    const double with_rule = extended.Score(text).compound;
    EXPECT_GT(with_rule, 0.4) << text;
    EXPECT_GE(with_rule, reference.Score(text).compound) << text;
  }
  // "without" alone still negates.
  EXPECT_LT(extended.Score("without good strings").compound, 0);
}

// --- Synthetic lexicon: rules checked against hand-computed values. ---

double Norm(double x) { return x / std::sqrt(x * x + 15); }

TEST(VaderScorerSyntheticTest, SingleWordAndNegation) {
  const SentimentLexicon lexicon = SentimentLexicon::FromEntries({{"good", 2.0}, {"bad", -2.0}});
  const VaderScorer scorer(lexicon);
  EXPECT_DOUBLE_EQ(scorer.Score("good").compound, RoundLikeJsToFixed(Norm(2.0), 4));
  EXPECT_DOUBLE_EQ(scorer.Score("not good").compound, RoundLikeJsToFixed(Norm(2.0 * -0.74), 4));
  // Negation reaches three words back (the third is dampened by nothing).
  EXPECT_DOUBLE_EQ(scorer.Score("not xx yy good").compound,
                   RoundLikeJsToFixed(Norm(2.0 * -0.74), 4));
  EXPECT_DOUBLE_EQ(scorer.Score("not xx yy zz good").compound, RoundLikeJsToFixed(Norm(2.0), 4));
  const PolarityScores s = scorer.Score("good xx bad yy");
  EXPECT_DOUBLE_EQ(s.compound, 0);
  EXPECT_DOUBLE_EQ(s.positive, RoundLikeJsToFixed(3.0 / 8.0, 3));
  EXPECT_DOUBLE_EQ(s.negative, RoundLikeJsToFixed(3.0 / 8.0, 3));
  EXPECT_DOUBLE_EQ(s.neutral, 0.25);
}

TEST(VaderScorerSyntheticTest, BoosterDistanceAndExclamations) {
  const SentimentLexicon lexicon = SentimentLexicon::FromEntries({{"good", 2.0}});
  const VaderScorer scorer(lexicon);
  EXPECT_DOUBLE_EQ(scorer.Score("very good").compound, RoundLikeJsToFixed(Norm(2.0 + 0.293), 4));
  EXPECT_DOUBLE_EQ(scorer.Score("very xx good").compound,
                   RoundLikeJsToFixed(Norm(2.0 + 0.293 * 0.95), 4));
  EXPECT_DOUBLE_EQ(scorer.Score("very xx yy good").compound,
                   RoundLikeJsToFixed(Norm(2.0 + 0.293 * 0.9), 4));
  EXPECT_DOUBLE_EQ(scorer.Score("good!!").compound, RoundLikeJsToFixed(Norm(2.0 + 2 * 0.292), 4));
  // At most four exclamation marks count.
  EXPECT_DOUBLE_EQ(scorer.Score("good! ! ! ! ! ! !").compound,
                   RoundLikeJsToFixed(Norm(2.0 + 4 * 0.292), 4));
}

TEST(RoundLikeJsToFixedTest, TiesGoAwayFromZero) {
  EXPECT_DOUBLE_EQ(RoundLikeJsToFixed(0.03125, 4), 0.0313);  // exact tie: JS rounds up
  EXPECT_DOUBLE_EQ(RoundLikeJsToFixed(-0.03125, 4), -0.0313);
  EXPECT_DOUBLE_EQ(RoundLikeJsToFixed(0.0625, 3), 0.063);
  EXPECT_DOUBLE_EQ(RoundLikeJsToFixed(1.005, 2), 1.0);  // 1.005 is below the tie in binary
  EXPECT_DOUBLE_EQ(RoundLikeJsToFixed(0.12344, 4), 0.1234);
  EXPECT_DOUBLE_EQ(RoundLikeJsToFixed(0.12346, 4), 0.1235);
}

TEST(NormalizeVaderTest, BoundedAndOdd) {
  EXPECT_DOUBLE_EQ(NormalizeVader(0), 0);
  EXPECT_NEAR(NormalizeVader(1e9), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(NormalizeVader(-3), -NormalizeVader(3));
}

}  // namespace
}  // namespace tailor::text
