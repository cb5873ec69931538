// Sentiment of a short text for the insights pillar: VADER scores (see
// vader_scorer.h) plus the detected language. Texts in a language without a
// lexicon get language_unsupported = true and neutral scores instead of
// English rules applied to foreign words.
//
//   absl::StatusOr<tailor::text::SentimentAnalyzer> analyzer =
//       tailor::text::SentimentAnalyzer::CreateDefault();
//   if (!analyzer.ok()) return analyzer.status();
//   tailor::text::SentimentResult r = analyzer->Analyze("Love it 😍 but the case broke");
//   // r.scores.compound, r.language == "en", r.language_unsupported == false
//
// Steps: (1) language (language_detector.h: short or unclear texts count as
// English); (2) emoji replaced by their names (emoji_translation.h);
// (3) VADER scoring. Analyze() is const and thread-safe.
#ifndef TAILOR_MODELS_TEXT_SENTIMENT_ANALYZER_H_
#define TAILOR_MODELS_TEXT_SENTIMENT_ANALYZER_H_

#include <memory>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "models/text/sentiment_lexicon.h"
#include "models/text/vader_scorer.h"

namespace tailor::text {

struct SentimentOptions {
  // Off: every text is scored as English (language = "en").
  bool detect_language = true;
  bool translate_emoji = true;
  VaderOptions vader;

  // Scores exactly as npm vader-sentiment 1.1.3 would on the same text:
  // no emoji translation, no "without doubt" rule, no language detection.
  static SentimentOptions Reference() {
    SentimentOptions o;
    o.detect_language = false;
    o.translate_emoji = false;
    o.vader.without_doubt = false;
    return o;
  }
};

struct SentimentResult {
  PolarityScores scores;             // compound 0, neutral 1 when unsupported
  std::string_view language = "en";  // static storage
  bool language_unsupported = false;
};

class SentimentAnalyzer {
 public:
  // Languages with a lexicon; everything else is unsupported.
  static constexpr std::string_view kSupportedLanguage = "en";

  SentimentAnalyzer(std::shared_ptr<const SentimentLexicon> lexicon, SentimentOptions options = {})
      : lexicon_(std::move(lexicon)), options_(options), scorer_(*lexicon_, options_.vader) {}

  // Loads the lexicon with SentimentLexicon::LoadDefault().
  static absl::StatusOr<SentimentAnalyzer> CreateDefault(SentimentOptions options = {});

  SentimentResult Analyze(std::string_view text) const;

  const SentimentLexicon& lexicon() const { return *lexicon_; }
  const SentimentOptions& options() const { return options_; }

 private:
  std::shared_ptr<const SentimentLexicon> lexicon_;
  SentimentOptions options_;
  VaderScorer scorer_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_SENTIMENT_ANALYZER_H_
