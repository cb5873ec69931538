#include "models/text/afinn_lexicons.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "models/text/language_codes.h"
#include "models/text/npm_data.h"
#include "models/text/snowball_stem.h"
#include "models/text/utf8_scan.h"
#include "models/text/word_tokens.h"

namespace tailor::text {
namespace {

// A key as FoldedWords() would see it: folded words joined by one space.
// Empty when nothing word-like is left.
std::string NormalizeKey(std::string_view key) {
  std::vector<std::string> words;
  FoldedWords(key, &words);
  return absl::StrJoin(words, " ");
}

int WordCount(std::string_view phrase) {
  return static_cast<int>(std::count(phrase.begin(), phrase.end(), ' ')) + 1;
}

void AddPhraseStart(std::string_view phrase, AfinnLanguage* lang) {
  lang->phrase_starts.insert(std::string(phrase.substr(0, phrase.find(' '))));
  lang->max_phrase_words = std::max(lang->max_phrase_words, WordCount(phrase));
}

void AddEntry(std::string_view key, double rating, AfinnLanguage* lang) {
  const std::string k = NormalizeKey(key);
  if (k.empty()) return;
  if (k.find(' ') == std::string::npos) {
    lang->words[k] = rating;
  } else {
    lang->phrases[k] = rating;
    AddPhraseStart(k, lang);
  }
}

void AddNegator(std::string_view word, AfinnLanguage* lang) {
  const std::string k = NormalizeKey(word);
  if (k.empty()) return;
  if (k.find(' ') == std::string::npos) {
    lang->negators.insert(k);
  } else {
    lang->negator_phrases.insert(k);
    AddPhraseStart(k, lang);
  }
}

// Mean rating per stem; stems whose words disagree in sign are dropped
// (a stem shared by "good" and "bad" words says nothing).
void BuildStems(AfinnLanguage* lang) {
  if (lang->snowball < 0) return;
  struct Acc {
    double sum = 0;
    int count = 0;
    bool mixed = false;
  };
  absl::flat_hash_map<std::string, Acc> acc;
  std::string stem;
  for (const auto& [word, rating] : lang->words) {
    Stem(lang->snowball, word, &stem);
    Acc& a = acc[stem];
    if (a.count > 0 && (a.sum > 0) != (rating > 0)) a.mixed = true;
    a.sum += rating;
    ++a.count;
  }
  for (const auto& [s, a] : acc) {
    if (!a.mixed) lang->stems[s] = a.sum / a.count;
  }
}

absl::Status ParseLanguageFile(std::string_view data, const std::filesystem::path& path,
                               AfinnLanguage* lang) {
  try {
    absl::StatusOr<boost::json::value> root = ParseJsonObject(data, path);
    if (!root.ok()) return root.status();
    for (const auto& [key, value] : root->as_object()) {
      if (!value.is_number()) {
        return absl::InvalidArgumentError(
            absl::StrCat(path.string(), ": rating of '", std::string(key), "' is not a number"));
      }
      AddEntry(key, value.to_number<double>(), lang);
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", e.what()));
  }
  return absl::OkStatus();
}

// {"<code>": ["negator", ...]}; codes the package spells differently are
// canonicalised; lists for languages without words are ignored.
absl::Status ParseNegators(std::string_view data, const std::filesystem::path& path,
                           absl::flat_hash_map<std::string, std::vector<std::string>>* out) {
  try {
    absl::StatusOr<boost::json::value> root = ParseJsonObject(data, path);
    if (!root.ok()) return root.status();
    for (const auto& [key, list] : root->as_object()) {
      if (!list.is_array()) continue;
      std::vector<std::string>& words = (*out)[CanonicalLanguage(key)];
      for (const boost::json::value& w : list.as_array()) {
        if (w.is_string()) words.emplace_back(w.as_string());
      }
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", e.what()));
  }
  return absl::OkStatus();
}

// Emoji_Sentiment_Data_v1.0.csv: Emoji,Unicode codepoint,Occurrences,
// Position,Negative,Neutral,Positive,Unicode name,Unicode block. Lines that
// do not split into exactly 9 fields are skipped, as the package does.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

void ParseEmojiCsv(std::string_view data, absl::flat_hash_map<char32_t, double>* out) {
  bool header = true;
  for (std::string_view line : Split(data, '\n')) {
    if (header) {
      header = false;
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> f = Split(line, ',');
    if (f.size() != 9) continue;
    std::string_view hex = f[1];
    if (hex.substr(0, 2) == "0x" || hex.substr(0, 2) == "0X") hex.remove_prefix(2);
    uint32_t cp = 0;
    double occurrences = 0, negative = 0, positive = 0;
    if (std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16).ec != std::errc() ||
        std::from_chars(f[2].data(), f[2].data() + f[2].size(), occurrences).ec != std::errc() ||
        std::from_chars(f[4].data(), f[4].data() + f[4].size(), negative).ec != std::errc() ||
        std::from_chars(f[6].data(), f[6].data() + f[6].size(), positive).ec != std::errc() ||
        occurrences <= 0) {
      continue;
    }
    const double rating = std::floor(5 * (positive / occurrences - negative / occurrences));
    if (rating != 0) (*out)[static_cast<char32_t>(cp)] = rating;
  }
}

}  // namespace

absl::StatusOr<AfinnLexicons> AfinnLexicons::LoadFromDirectory(const std::filesystem::path& dir) {
  const std::filesystem::path languages_dir = dir / kLanguagesDir;
  std::error_code ec;
  if (!std::filesystem::is_directory(languages_dir, ec)) {
    return absl::NotFoundError(absl::StrCat(languages_dir.string(), " is not a directory"));
  }
  absl::flat_hash_map<std::string, std::vector<std::string>> negators;
  const std::filesystem::path negators_path = dir / kNegatorsFile;
  if (std::filesystem::exists(negators_path, ec)) {
    absl::StatusOr<std::string> data = ReadWholeFile(negators_path);
    if (!data.ok()) return data.status();
    if (absl::Status s = ParseNegators(*data, negators_path, &negators); !s.ok()) return s;
  }

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(languages_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind("AFINN-", 0) == 0 && name.size() > 11 &&
        name.substr(name.size() - 5) == ".json") {
      files.push_back(entry.path());
    }
  }
  if (ec) return absl::NotFoundError(absl::StrCat("cannot list ", languages_dir.string()));
  std::sort(files.begin(), files.end());

  AfinnLexicons out;
  for (const std::filesystem::path& path : files) {
    const std::string name = path.filename().string();
    const std::string code = CanonicalLanguage(name.substr(6, name.size() - 11));
    // "zh-tw" canonicalises to "zh-Hant"; anything unnamed is skipped.
    if (code.empty()) continue;
    absl::StatusOr<std::string> data = ReadWholeFile(path);
    if (!data.ok()) return data.status();
    auto lang = std::make_shared<AfinnLanguage>();
    lang->code = code;
    lang->snowball = SnowballIndex(code);
    if (absl::Status s = ParseLanguageFile(*data, path, lang.get()); !s.ok()) return s;
    if (lang->size() == 0) continue;  // the package ships some empty lists
    if (auto it = negators.find(code); it != negators.end()) {
      for (const std::string& w : it->second) AddNegator(w, lang.get());
    }
    BuildStems(lang.get());
    out.by_code_[code] = lang.get();
    out.languages_.push_back(std::move(lang));
  }
  if (out.languages_.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no AFINN-<language>.json in ", languages_dir.string()));
  }
  const std::filesystem::path emoji_path = dir / kEmojiFile;
  if (std::filesystem::exists(emoji_path, ec)) {
    absl::StatusOr<std::string> data = ReadWholeFile(emoji_path);
    if (!data.ok()) return data.status();
    ParseEmojiCsv(*data, &out.emoji_);
  }
  return out;
}

absl::StatusOr<AfinnLexicons> AfinnLexicons::LoadDefault() {
  absl::StatusOr<std::filesystem::path> dir = FindNpmPackage(kPackage, kLanguagesDir);
  if (!dir.ok()) return dir.status();
  return LoadFromDirectory(*dir);
}

const AfinnLanguage* AfinnLexicons::Find(std::string_view language) const {
  auto it = by_code_.find(CanonicalLanguage(language));
  return it == by_code_.end() ? nullptr : it->second;
}

AfinnLexicons AfinnLexicons::FromEntries(std::string_view language,
                                         const std::vector<std::pair<std::string, double>>& entries,
                                         const std::vector<std::string>& negators) {
  auto lang = std::make_shared<AfinnLanguage>();
  lang->code = CanonicalLanguage(language);
  lang->snowball = SnowballIndex(lang->code);
  for (const auto& [key, rating] : entries) AddEntry(key, rating, lang.get());
  for (const std::string& w : negators) AddNegator(w, lang.get());
  BuildStems(lang.get());
  AfinnLexicons out;
  out.by_code_[lang->code] = lang.get();
  out.languages_.push_back(std::move(lang));
  return out;
}

}  // namespace tailor::text
