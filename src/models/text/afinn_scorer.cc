#include "models/text/afinn_scorer.h"

#include <algorithm>

#include "models/text/snowball_stem.h"
#include "models/text/utf8_scan.h"
#include "models/text/vader_word_lists.h"
#include "models/text/word_tokens.h"

namespace tailor::text {
namespace {

struct Match {
  int length = 1;  // words consumed
  const double* valence = nullptr;
  bool negator = false;
};

Match MatchAt(const std::vector<std::string>& words, size_t i, const AfinnLanguage& lang,
              std::string* scratch) {
  Match m;
  const std::string& word = words[i];
  if (lang.max_phrase_words > 1 && lang.StartsPhrase(word)) {
    const int longest = static_cast<int>(std::min<size_t>(lang.max_phrase_words, words.size() - i));
    for (int n = longest; n >= 2; --n) {
      scratch->assign(word);
      for (int k = 1; k < n; ++k) {
        scratch->push_back(' ');
        scratch->append(words[i + k]);
      }
      if (lang.IsNegatorPhrase(*scratch)) {
        m.length = n;
        m.negator = true;
        return m;
      }
      if (const double* v = lang.PhraseValence(*scratch)) {
        m.length = n;
        m.valence = v;
        return m;
      }
    }
  }
  if (lang.IsNegator(word)) {
    m.negator = true;
    return m;
  }
  if ((m.valence = lang.Valence(word)) != nullptr) return m;
  // Elision: "l'horrible", "dell'ottimo", "n'est".
  if (const size_t apostrophe = word.rfind('\'');
      apostrophe != std::string::npos && apostrophe + 1 < word.size()) {
    const std::string_view rest = std::string_view(word).substr(apostrophe + 1);
    if (lang.IsNegator(rest)) {
      m.negator = true;
      return m;
    }
    if ((m.valence = lang.Valence(rest)) != nullptr) return m;
  }
  if (lang.snowball >= 0 && !lang.stems.empty()) {
    Stem(lang.snowball, word, scratch);
    m.valence = lang.StemValence(*scratch);
  }
  return m;
}

}  // namespace

PolarityScores AfinnScorer::Score(std::string_view text, const AfinnLanguage& language) const {
  thread_local std::vector<std::string> words;
  FoldedWords(text, &words);
  return ScoreWords(text, words, language);
}

PolarityScores AfinnScorer::ScoreWords(std::string_view text, const std::vector<std::string>& words,
                                       const AfinnLanguage& language) const {
  thread_local std::vector<double> sentiments;
  thread_local std::string scratch;
  sentiments.clear();
  int negated = 0;  // rated-or-not words still under the last negator
  for (size_t i = 0; i < words.size();) {
    const Match m = MatchAt(words, i, language, &scratch);
    i += m.length;
    if (m.negator) {
      negated = kNegationWindow;
      sentiments.push_back(0.0);
      continue;
    }
    double valence = m.valence == nullptr ? 0.0 : *m.valence * kAfinnToVader;
    if (negated > 0) {
      valence *= vader::kNegationScalar;
      --negated;
    }
    sentiments.push_back(valence);
  }
  if (lexicons_.emoji_count() > 0) {
    for (size_t pos = 0; pos < text.size();) {
      const unsigned char b = static_cast<unsigned char>(text[pos]);
      if (b < 0x80) {
        ++pos;
        continue;
      }
      if (const double* v = lexicons_.EmojiValence(DecodeUtf8(text, &pos))) {
        sentiments.push_back(*v * kAfinnToVader);
      }
    }
  }
  return PolarityFromSentiments(sentiments, text);
}

}  // namespace tailor::text
