// The data a VADER-style analyzer reads at run time: the valence lexicon
// (token -> mean rating in [-4, 4]) and emoji names (code point -> words,
// e.g. U+1F600 -> "grinning face"). Both come from npm data packages in
// <repo>/node_modules; nothing is copied into the repository.
//
//   absl::StatusOr<tailor::text::SentimentLexicon> lex =
//       tailor::text::SentimentLexicon::LoadDefault();
//   if (!lex.ok()) return lex.status();     // says which paths were tried
//   const double* v = lex->Valence("good");  // 1.9, or nullptr if absent
//
// Immutable after loading; safe to share between threads.
#ifndef TAILOR_MODELS_TEXT_SENTIMENT_LEXICON_H_
#define TAILOR_MODELS_TEXT_SENTIMENT_LEXICON_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tailor::text {

class SentimentLexicon {
 public:
  // Env variable that, when set, names the lexicon directory.
  static constexpr const char* kEnvVar = "TAILOR_LEXICON_DIR";
  static constexpr const char* kLexiconFile = "vader_lexicon.txt";
  // VADER's own emoji file format ("<emoji>\t<description>"), if a
  // directory ships it; preferred over the unicode-emoji-json fallback.
  static constexpr const char* kEmojiFile = "emoji_utf8_lexicon.txt";
  // Fallback emoji names: npm package unicode-emoji-json, installed next to
  // vader-sentiment (CLDR short names, the source VADER's file was built from).
  static constexpr const char* kEmojiJsonRelative = "../unicode-emoji-json/data-by-emoji.json";

  // Reads `dir`/vader_lexicon.txt (tab separated: token, mean, sd, ratings;
  // when a token repeats, the last line wins, as in the JavaScript and
  // Python references). Emoji names are read from `dir`/emoji_utf8_lexicon.txt
  // or else `dir`/../unicode-emoji-json/data-by-emoji.json; when neither
  // exists the lexicon has no emoji (emoji_count() == 0) and emoji stay
  // untranslated. NotFound if the lexicon file is missing,
  // InvalidArgument if a line or the emoji JSON cannot be parsed.
  static absl::StatusOr<SentimentLexicon> LoadFromDirectory(const std::filesystem::path& dir);

  // Tries, in order: $TAILOR_LEXICON_DIR, then
  // $TAILOR_NODE_MODULES/vader-sentiment, then
  // <TAILOR_SOURCE_DIR>/node_modules/vader-sentiment (compiled in), then
  // ./node_modules/vader-sentiment (npm_data.h). NotFound names every path tried and
  // how to install the package (`npm ci` in the repository root).
  static absl::StatusOr<SentimentLexicon> LoadDefault();

  // Builds a lexicon from explicit entries (tests, custom lexicons). Keys
  // must be lowercase to ever match: lookups use lowercased tokens.
  static SentimentLexicon FromEntries(std::vector<std::pair<std::string, double>> valences,
                                      std::vector<std::pair<char32_t, std::string>> emoji = {});

  // Valence of an already lowercased token, or nullptr when absent.
  // The pointer stays valid as long as the lexicon.
  const double* Valence(std::string_view lowercase_token) const {
    // Debian's abseil has its own string_view type.
    auto it = valence_.find(absl::string_view(lowercase_token.data(), lowercase_token.size()));
    return it == valence_.end() ? nullptr : &it->second;
  }

  // Words for an emoji code point, or empty when it is not an emoji.
  std::string_view EmojiName(char32_t code_point) const {
    auto it = emoji_.find(code_point);
    return it == emoji_.end() ? std::string_view() : std::string_view(it->second);
  }

  // Calls fn(std::string_view token) for every token of the lexicon.
  template <typename Fn>
  void ForEachWord(Fn&& fn) const {
    for (const auto& [token, valence] : valence_) fn(std::string_view(token));
  }

  size_t size() const { return valence_.size(); }
  size_t emoji_count() const { return emoji_.size(); }
  // Where the lexicon was loaded from (empty for FromEntries).
  const std::filesystem::path& source() const { return source_; }

 private:
  absl::flat_hash_map<std::string, double> valence_;
  absl::flat_hash_map<char32_t, std::string> emoji_;
  std::filesystem::path source_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_SENTIMENT_LEXICON_H_
