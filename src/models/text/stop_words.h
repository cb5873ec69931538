// Stop words (words that carry no topic: "und", "de", "the"...) for 58
// languages, from the npm data package stopwords-iso (MIT), loaded at run
// time. Words are stored case-folded (word_tokens.h), so they match
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

  StopWords() = default;  // no languages

  // Parses stopwords-iso.json: {"<iso code>": ["word", ...], ...}.
  // NotFound if the file is missing, InvalidArgument if it is not that shape.
  static absl::StatusOr<StopWords> LoadFromFile(const std::filesystem::path& path);

  // LoadFromFile() on the installed package (npm_data.h lookup).
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
