#include "models/text/sentiment_lexicon.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "models/text/npm_data.h"
#include "models/text/utf8_scan.h"

namespace tailor::text {
namespace {

// Emoji keys may carry VS16 (U+FE0F); the analyzer translates per code
// point, so only keys that are one code point (plus VS16) are usable.
bool SingleCodePoint(std::string_view key, char32_t* cp) {
  size_t pos = 0;
  char32_t first = 0;
  int count = 0;
  while (pos < key.size()) {
    const char32_t c = DecodeUtf8(key, &pos);
    if (c == 0xFE0F) continue;
    if (++count > 1) return false;
    first = c;
  }
  if (count != 1 || first < 0x80 || first == kReplacementChar) return false;
  *cp = first;
  return true;
}

absl::Status ParseLexicon(std::string_view data, const std::filesystem::path& path,
                          absl::flat_hash_map<std::string, double>* out) {
  size_t line_no = 0;
  while (!data.empty()) {
    size_t nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ":", line_no, ": expected <token>\\t<valence>"));
    }
    std::string_view rest = line.substr(tab + 1);
    rest = rest.substr(0, rest.find('\t'));
    double value = 0;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc() || ptr != rest.data() + rest.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ":", line_no, ": bad valence '", std::string(rest), "'"));
    }
    (*out)[std::string(line.substr(0, tab))] = value;  // last occurrence wins
  }
  if (out->empty()) return absl::InvalidArgumentError(absl::StrCat(path.string(), " is empty"));
  return absl::OkStatus();
}

void ParseVaderEmojiFile(std::string_view data, absl::flat_hash_map<char32_t, std::string>* out) {
  while (!data.empty()) {
    size_t nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t tab = line.find('\t');
    char32_t cp;
    if (tab == std::string_view::npos || !SingleCodePoint(line.substr(0, tab), &cp)) continue;
    (*out)[cp] = std::string(line.substr(tab + 1));
  }
}

absl::Status ParseEmojiJson(std::string_view data, const std::filesystem::path& path,
                            absl::flat_hash_map<char32_t, std::string>* out) {
  try {
    absl::StatusOr<boost::json::value> root = ParseJsonObject(data, path);
    if (!root.ok()) return root.status();
    for (const auto& [key, entry] : root->as_object()) {
      char32_t cp;
      if (!entry.is_object() || !SingleCodePoint(key, &cp)) continue;
      const boost::json::value* name = entry.as_object().if_contains("name");
      if (name == nullptr || !name->is_string()) continue;
      (*out)[cp] = std::string(name->as_string());
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SentimentLexicon> SentimentLexicon::LoadFromDirectory(
    const std::filesystem::path& dir) {
  SentimentLexicon lexicon;
  const std::filesystem::path lexicon_path = dir / kLexiconFile;
  absl::StatusOr<std::string> data = ReadWholeFile(lexicon_path);
  if (!data.ok()) return data.status();
  if (absl::Status s = ParseLexicon(*data, lexicon_path, &lexicon.valence_); !s.ok()) return s;

  std::error_code ec;
  const std::filesystem::path vader_emoji = dir / kEmojiFile;
  const std::filesystem::path json_emoji = (dir / kEmojiJsonRelative).lexically_normal();
  if (std::filesystem::exists(vader_emoji, ec)) {
    absl::StatusOr<std::string> emoji = ReadWholeFile(vader_emoji);
    if (!emoji.ok()) return emoji.status();
    ParseVaderEmojiFile(*emoji, &lexicon.emoji_);
  } else if (std::filesystem::exists(json_emoji, ec)) {
    absl::StatusOr<std::string> emoji = ReadWholeFile(json_emoji);
    if (!emoji.ok()) return emoji.status();
    if (absl::Status s = ParseEmojiJson(*emoji, json_emoji, &lexicon.emoji_); !s.ok()) return s;
  }
  lexicon.source_ = dir;
  return lexicon;
}

absl::StatusOr<SentimentLexicon> SentimentLexicon::LoadDefault() {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv(kEnvVar); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  for (std::filesystem::path& dir : NpmPackageCandidates("vader-sentiment")) {
    if (std::find(candidates.begin(), candidates.end(), dir) == candidates.end()) {
      candidates.push_back(std::move(dir));
    }
  }
  std::vector<std::string> tried;
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (!std::filesystem::exists(dir / kLexiconFile, ec)) {
      tried.push_back(dir.string());
      continue;
    }
    // An existing but broken lexicon is an error, not a reason to fall through.
    return LoadFromDirectory(dir);
  }
  return absl::NotFoundError(absl::StrCat(
      "sentiment lexicon not found (", kLexiconFile, " looked for in: ", absl::StrJoin(tried, ", "),
      "). Run `npm ci` in the repository root to install the npm package vader-sentiment, "
      "or set ",
      kEnvVar, " to a directory containing ", kLexiconFile, "."));
}

SentimentLexicon SentimentLexicon::FromEntries(
    std::vector<std::pair<std::string, double>> valences,
    std::vector<std::pair<char32_t, std::string>> emoji) {
  SentimentLexicon lexicon;
  for (auto& [key, value] : valences) lexicon.valence_[std::move(key)] = value;
  for (auto& [cp, name] : emoji) lexicon.emoji_[cp] = std::move(name);
  return lexicon;
}

}  // namespace tailor::text
