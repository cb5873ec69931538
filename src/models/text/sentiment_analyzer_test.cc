// Expected emoji scores were computed by the npm vader-sentiment 1.1.3
// JavaScript implementation after the same emoji translation, on 2026-11-22:
//   printf '%s\n' "<text>" | node tools/sentiment_eval/vader_reference.js --translate-emoji
#include "models/text/sentiment_analyzer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

namespace tailor::text {
namespace {

std::shared_ptr<const SentimentLexicon> RealLexicon() {
  static const std::shared_ptr<const SentimentLexicon> lexicon = [] {
    auto loaded = SentimentLexicon::LoadFromDirectory(std::filesystem::path(TAILOR_SOURCE_DIR) /
                                                      "node_modules" / "vader-sentiment");
    return loaded.ok() ? std::make_shared<const SentimentLexicon>(*std::move(loaded)) : nullptr;
  }();
  return lexicon;
}

#define REQUIRE_LEXICON()       \
  if (RealLexicon() == nullptr) \
  GTEST_SKIP() << "node_modules/vader-sentiment missing: run `npm ci` in the repository root"

TEST(SentimentAnalyzerTest, EmojiAreTranslatedLikeTheReferenceDriver) {
  REQUIRE_LEXICON();
  if (RealLexicon()->emoji_count() == 0) GTEST_SKIP() << "node_modules/unicode-emoji-json missing";
  const SentimentAnalyzer analyzer(RealLexicon());
  struct Case {
    const char* text;
    double compound, positive, neutral, negative;
  };
  for (const Case& c :
       {Case{"I love it \xF0\x9F\x98\x8D", 0.802, 0.643, 0.357, 0},
        Case{"Terrible \xF0\x9F\x98\xA1\xF0\x9F\x98\xA1 broken", -0.891, 0, 0.147, 0.853},
        Case{"Great sound \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD!", 0.6588, 0.594, 0.406, 0}}) {
    const SentimentResult r = analyzer.Analyze(c.text);
    EXPECT_NEAR(r.scores.compound, c.compound, 1e-9) << c.text;
    EXPECT_NEAR(r.scores.positive, c.positive, 1e-9) << c.text;
    EXPECT_NEAR(r.scores.neutral, c.neutral, 1e-9) << c.text;
    EXPECT_NEAR(r.scores.negative, c.negative, 1e-9) << c.text;
    EXPECT_EQ(r.language, "en");
    EXPECT_FALSE(r.language_unsupported);
  }
}

TEST(SentimentAnalyzerTest, ReferenceOptionsMatchTheNpmPackageOnRawText) {
  REQUIRE_LEXICON();
  const SentimentAnalyzer analyzer(RealLexicon(), SentimentOptions::Reference());
  // Untranslated emoji carry no sentiment; "without doubt" negates.
  EXPECT_NEAR(analyzer.Analyze("I love it \xF0\x9F\x98\x8D").scores.compound, 0.6369, 1e-9);
  EXPECT_NEAR(analyzer.Analyze("He was without doubt a great teacher.").scores.compound, -0.2924,
              1e-9);
}

TEST(SentimentAnalyzerTest, NonEnglishIsUnsupportedAndNeutral) {
  REQUIRE_LEXICON();
  const SentimentAnalyzer analyzer(RealLexicon());
  const SentimentResult r = analyzer.Analyze(
      "Die Saiten klingen wirklich sehr gut und halten die Stimmung wochenlang, ich würde sie "
      "wieder kaufen.");
  EXPECT_EQ(r.language, "de");
  EXPECT_TRUE(r.language_unsupported);
  EXPECT_EQ(r.scores.compound, 0);
  EXPECT_EQ(r.scores.neutral, 1);
  EXPECT_EQ(r.scores.positive, 0);
  EXPECT_EQ(r.scores.negative, 0);

  // Short foreign text falls back to English scoring.
  const SentimentResult short_text = analyzer.Analyze("Muy bueno");
  EXPECT_EQ(short_text.language, "en");
  EXPECT_FALSE(short_text.language_unsupported);

  // Without detection everything is scored as English.
  SentimentOptions options;
  options.detect_language = false;
  const SentimentAnalyzer english(RealLexicon(), options);
  EXPECT_FALSE(english.Analyze("Die Saiten klingen wirklich sehr gut und halten die Stimmung.")
                   .language_unsupported);
}

TEST(SentimentAnalyzerTest, EnglishReviewIsScored) {
  REQUIRE_LEXICON();
  const SentimentAnalyzer analyzer(RealLexicon());
  const SentimentResult r = analyzer.Analyze(
      "These strings sound great and stay in tune, but the packaging was terrible.");
  EXPECT_EQ(r.language, "en");
  EXPECT_FALSE(r.language_unsupported);
  EXPECT_NE(r.scores.compound, 0);
  EXPECT_NEAR(r.scores.positive + r.scores.neutral + r.scores.negative, 1.0, 0.002);
}

TEST(SentimentAnalyzerTest, CopiesShareTheLexicon) {
  const auto lexicon =
      std::make_shared<const SentimentLexicon>(SentimentLexicon::FromEntries({{"good", 2.0}}));
  SentimentOptions options;
  options.detect_language = false;
  const SentimentAnalyzer a(lexicon, options);
  const SentimentAnalyzer b = a;
  EXPECT_EQ(a.Analyze("good").scores.compound, b.Analyze("good").scores.compound);
  EXPECT_GT(b.Analyze("good").scores.compound, 0);
}

}  // namespace
}  // namespace tailor::text
