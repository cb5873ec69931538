// Sentiment of a short text for the insights pillar, in the text's own
// language: English with VADER (vader_scorer.h), the other languages with
// their AFINN list (afinn_scorer.h), both on VADER's scale. A text whose
// language is not known, or has no list, gets no score (supported = false)
// rather than English rules applied to foreign words.
//
//   absl::StatusOr<tailor::text::SentimentAnalyzer> analyzer =
//       tailor::text::SentimentAnalyzer::CreateDefault();
//   if (!analyzer.ok()) return analyzer.status();
//   tailor::text::SentimentResult r = analyzer->Analyze("Esto es malísimo");
//   // r.language == "es", r.language_source == kVocabulary, r.supported,
//   // r.scores.compound < 0
//   r = analyzer->Analyze("ok", "de");  // the caller's language tag wins
//
// Language, in order: (1) the caller's BCP 47 tag when given; (2) cld2
// when it calls its verdict reliable (language_detector.h: at least 20
// letters); (3) the word lists (language_vote.h: stop words, sentiment
// words) when one language covers strictly more words than any other;
// (4) else "und", no score. English texts then have emoji replaced by
// their names (emoji_translation.h) before VADER. Analyze() is const and
// thread-safe; all data is loaded once, at construction.
#ifndef TAILOR_MODELS_TEXT_SENTIMENT_ANALYZER_H_
#define TAILOR_MODELS_TEXT_SENTIMENT_ANALYZER_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "models/text/afinn_lexicons.h"
#include "models/text/afinn_scorer.h"
#include "models/text/language_vote.h"
#include "models/text/sentiment_lexicon.h"
#include "models/text/vader_scorer.h"

namespace tailor::text {

struct SentimentOptions {
  // Off: every text without a language tag is scored as English.
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

enum class LanguageSource {
  kHint,        // the caller's tag
  kDetected,    // cld2, reliable
  kVocabulary,  // the word lists were decisive
  kAssumed,     // detection off: English
  kUnknown,     // none of the above: language "und"
};

// "hint", "detected", "vocabulary", "assumed", "unknown".
std::string_view LanguageSourceName(LanguageSource source);

enum class SentimentMethod { kNone, kVader, kAfinn };
// "vader", "afinn", "" for kNone.
std::string_view SentimentMethodName(SentimentMethod method);

struct SentimentResult {
  PolarityScores scores;  // all 0 and meaningless when !supported
  std::string language = "und";
  LanguageSource language_source = LanguageSource::kUnknown;
  bool supported = false;  // a lexicon of `language` scored the text
  SentimentMethod method = SentimentMethod::kNone;
};

// Why `r` has no score, for answers to clients: "language_undetermined"
// (language "und") or "no_lexicon" (a known language without a list); ""
// when r.supported.
std::string_view NoScoreReason(const SentimentResult& r);

class SentimentAnalyzer {
 public:
  // English only (VADER): other languages are unsupported. The word-list
  // vote then knows English words only.
  SentimentAnalyzer(std::shared_ptr<const SentimentLexicon> lexicon, SentimentOptions options = {})
      : SentimentAnalyzer(std::move(lexicon), nullptr, StopWords(), options) {}

  // English with VADER, every language of `afinn` (may be null) with its
  // list; `stop_words` only feed the language vote.
  SentimentAnalyzer(std::shared_ptr<const SentimentLexicon> lexicon,
                    std::shared_ptr<const AfinnLexicons> afinn, const StopWords& stop_words,
                    SentimentOptions options = {});

  // VADER from SentimentLexicon::LoadDefault() (or `vader_dir` when not
  // empty), AFINN lists from AfinnLexicons::LoadDefault(), stop words from
  // StopWords::Default(). Fails if either lexicon package is missing.
  static absl::StatusOr<SentimentAnalyzer> CreateDefault(SentimentOptions options = {},
                                                         const std::string& vader_dir = "");

  // `language`: the caller's BCP 47 tag, empty when not known.
  SentimentResult Analyze(std::string_view text, std::string_view language = {}) const;

  // True when texts in `language` (a tag) are scored.
  bool Supports(std::string_view language) const;

  const SentimentLexicon& lexicon() const { return *lexicon_; }
  const AfinnLexicons* afinn() const { return afinn_.get(); }
  const SentimentOptions& options() const { return options_; }

 private:
  SentimentResult Score(std::string_view text, std::string language, LanguageSource source,
                        const std::vector<std::string>* words) const;

  std::shared_ptr<const SentimentLexicon> lexicon_;
  std::shared_ptr<const AfinnLexicons> afinn_;
  std::shared_ptr<const LanguageVote> vote_;
  SentimentOptions options_;
  VaderScorer scorer_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_SENTIMENT_ANALYZER_H_
