#include "models/text/sentiment_analyzer.h"

#include <string>
#include <vector>

#include "models/text/emoji_translation.h"
#include "models/text/language_codes.h"
#include "models/text/language_detector.h"
#include "models/text/word_tokens.h"

namespace tailor::text {

std::string_view LanguageSourceName(LanguageSource source) {
  switch (source) {
    case LanguageSource::kHint:
      return "hint";
    case LanguageSource::kDetected:
      return "detected";
    case LanguageSource::kVocabulary:
      return "vocabulary";
    case LanguageSource::kAssumed:
      return "assumed";
    case LanguageSource::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view SentimentMethodName(SentimentMethod method) {
  switch (method) {
    case SentimentMethod::kVader:
      return "vader";
    case SentimentMethod::kAfinn:
      return "afinn";
    case SentimentMethod::kNone:
      break;
  }
  return "";
}

std::string_view NoScoreReason(const SentimentResult& r) {
  if (r.supported) return "";
  return r.language == kUndetermined ? "language_undetermined" : "no_lexicon";
}

SentimentAnalyzer::SentimentAnalyzer(std::shared_ptr<const SentimentLexicon> lexicon,
                                     std::shared_ptr<const AfinnLexicons> afinn,
                                     const StopWords& stop_words, SentimentOptions options)
    : lexicon_(std::move(lexicon)),
      afinn_(std::move(afinn)),
      options_(options),
      scorer_(*lexicon_, options_.vader) {
  auto vote = std::make_shared<LanguageVote>();
  vote->AddVader(*lexicon_);
  if (afinn_ != nullptr) {
    vote->AddAfinn(*afinn_);
    vote->AddStopWords(stop_words);
  } else if (const StopWords::Set* en = stop_words.ForLanguage("en")) {
    // Without other languages, other languages' stop words would only
    // turn English texts into ties.
    for (const std::string& w : *en) vote->AddWord("en", w);
  }
  vote_ = std::move(vote);
}

absl::StatusOr<SentimentAnalyzer> SentimentAnalyzer::CreateDefault(SentimentOptions options,
                                                                   const std::string& vader_dir) {
  absl::StatusOr<SentimentLexicon> lexicon = vader_dir.empty()
                                                 ? SentimentLexicon::LoadDefault()
                                                 : SentimentLexicon::LoadFromDirectory(vader_dir);
  if (!lexicon.ok()) return lexicon.status();
  absl::StatusOr<AfinnLexicons> afinn = AfinnLexicons::LoadDefault();
  if (!afinn.ok()) return afinn.status();
  return SentimentAnalyzer(std::make_shared<const SentimentLexicon>(*std::move(lexicon)),
                           std::make_shared<const AfinnLexicons>(*std::move(afinn)),
                           StopWords::Default(), options);
}

bool SentimentAnalyzer::Supports(std::string_view language) const {
  const std::string code = CanonicalLanguage(language);
  return code == "en" || (afinn_ != nullptr && afinn_->Find(code) != nullptr);
}

SentimentResult SentimentAnalyzer::Analyze(std::string_view text, std::string_view language) const {
  if (std::string hint = CanonicalLanguage(language); !hint.empty()) {
    return Score(text, std::move(hint), LanguageSource::kHint, nullptr);
  }
  if (!options_.detect_language) return Score(text, "en", LanguageSource::kAssumed, nullptr);
  LanguageGuess guess = DetectLanguage(text);
  if (guess.reliable) return Score(text, std::move(guess.code), LanguageSource::kDetected, nullptr);
  thread_local std::vector<std::string> words;
  FoldedWords(text, &words);
  std::string voted = vote_->Decide(words);
  if (voted.empty())
    return Score(text, std::string(kUndetermined), LanguageSource::kUnknown, nullptr);
  return Score(text, std::move(voted), LanguageSource::kVocabulary, &words);
}

SentimentResult SentimentAnalyzer::Score(std::string_view text, std::string language,
                                         LanguageSource source,
                                         const std::vector<std::string>* words) const {
  SentimentResult result;
  result.language = std::move(language);
  result.language_source = source;
  if (result.language == "en") {
    result.supported = true;
    result.method = SentimentMethod::kVader;
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
  const AfinnLanguage* lang = afinn_ == nullptr ? nullptr : afinn_->Find(result.language);
  if (lang == nullptr) return result;
  result.supported = true;
  result.method = SentimentMethod::kAfinn;
  const AfinnScorer scorer(*afinn_);
  result.scores =
      words != nullptr ? scorer.ScoreWords(text, *words, *lang) : scorer.Score(text, *lang);
  return result;
}

}  // namespace tailor::text
