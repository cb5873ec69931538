#include "models/text/sentiment_analyzer.h"

#include <string>

#include "models/text/emoji_translation.h"
#include "models/text/language_detector.h"

namespace tailor::text {

absl::StatusOr<SentimentAnalyzer> SentimentAnalyzer::CreateDefault(SentimentOptions options) {
  absl::StatusOr<SentimentLexicon> lexicon = SentimentLexicon::LoadDefault();
  if (!lexicon.ok()) return lexicon.status();
  return SentimentAnalyzer(std::make_shared<const SentimentLexicon>(*std::move(lexicon)), options);
}

SentimentResult SentimentAnalyzer::Analyze(std::string_view text) const {
  SentimentResult result;
  if (options_.detect_language) {
    const LanguageGuess guess = DetectLanguage(text);
    result.language = guess.code;
    if (guess.code != kSupportedLanguage) {
      result.language_unsupported = true;
      result.scores.neutral = 1.0;
      return result;
    }
  }
  if (options_.translate_emoji) {
    thread_local std::string translated;
    if (TranslateEmoji(text, *lexicon_, &translated)) {
      result.scores = scorer_.Score(translated);
      return result;
    }
  }
  result.scores = scorer_.Score(text);
  return result;
}

}  // namespace tailor::text
