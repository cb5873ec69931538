// Language of a text too short (or too mixed) for cld2, told by the word
// lists the text models hold: each language's stop words and sentiment
// words. A language wins only if its lists cover strictly more of the
// text's words than any other language's; otherwise the answer is "not
// known" rather than a guess.
//
//   tailor::text::LanguageVote vote;
//   vote.AddStopWords(tailor::text::StopWords::Default());
//   std::vector<std::string> words;
//   tailor::text::FoldedWords("Esto es malísimo", &words);
//   std::string language = vote.Decide(words);  // "es", or "" when not decisive
//
// Immutable once built (Add* are for building); Decide() is const and
// thread-safe.
#ifndef TAILOR_MODELS_TEXT_LANGUAGE_VOTE_H_
#define TAILOR_MODELS_TEXT_LANGUAGE_VOTE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "models/text/stop_words.h"

namespace tailor::text {

class AfinnLexicons;
class SentimentLexicon;

class LanguageVote {
 public:
  // Each list counts once per word: a word that is both a stop word and a
  // sentiment word of a language is one vote for it.
  void AddStopWords(const StopWords& stop_words);
  // Single words of every language's AFINN list (phrases are not used).
  void AddAfinn(const AfinnLexicons& lexicons);
  // Words of an English VADER lexicon (votes for "en").
  void AddVader(const SentimentLexicon& lexicon);
  // One word (case-folded as FoldedWords() does) for a canonical language.
  void AddWord(std::string_view language, std::string_view folded_word);

  // The language covering the most words of `words` (FoldedWords output)
  // if no other covers as many, else "". Also "" when no word is covered.
  std::string Decide(const std::vector<std::string>& words) const;

  size_t num_languages() const { return languages_.size(); }
  size_t num_words() const { return words_.size(); }

 private:
  uint16_t LanguageId(std::string_view language);

  std::vector<std::string> languages_;
  absl::flat_hash_map<std::string, uint16_t> language_ids_;
  absl::flat_hash_map<std::string, absl::InlinedVector<uint16_t, 4>> words_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_LANGUAGE_VOTE_H_
