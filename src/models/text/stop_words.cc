#include "models/text/stop_words.h"

#include <algorithm>
#include <boost/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "models/text/language_codes.h"
#include "models/text/npm_data.h"
#include "models/text/word_tokens.h"

namespace tailor::text {

absl::StatusOr<StopWords> StopWords::LoadFromFile(const std::filesystem::path& path) {
  absl::StatusOr<std::string> data = ReadWholeFile(path);
  if (!data.ok()) return data.status();
  StopWords out;
  try {
    absl::StatusOr<boost::json::value> root = ParseJsonObject(*data, path);
    if (!root.ok()) return root.status();
    for (const auto& [key, list] : root->as_object()) {
      const std::string language = CanonicalLanguage(key);
      if (language.empty() || !list.is_array()) {
        return absl::InvalidArgumentError(absl::StrCat(
            path.string(), ": expected \"<language>\": [words], got key '", std::string(key), "'"));
      }
      Set& set = out.lists_[language];
      for (const boost::json::value& word : list.as_array()) {
        if (word.is_string() && !word.as_string().empty()) {
          set.insert(FoldCase(std::string_view(word.as_string())));
        }
      }
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": ", e.what()));
  }
  return out;
}

absl::Status StopWords::OverrideFromSnowballDir(const std::filesystem::path& dir) {
  static constexpr std::pair<const char*, const char*> kFiles[] = {
      {"danish", "da"},     {"dutch", "nl"},      {"english", "en"},   {"finnish", "fi"},
      {"french", "fr"},     {"german", "de"},     {"hungarian", "hu"}, {"italian", "it"},
      {"kazakh", "kk"},     {"norwegian", "no"},  {"portuguese", "pt"}, {"russian", "ru"},
      {"spanish", "es"},    {"swedish", "sv"},    {"turkish", "tr"}};
  int found = 0;
  for (const auto& [name, code] : kFiles) {
    absl::StatusOr<std::string> data = ReadWholeFile(dir / name);
    if (!data.ok()) continue;
    Set set;
    for (absl::string_view line : absl::StrSplit(*data, '\n')) {
      line = absl::StripAsciiWhitespace(line);
      if (!line.empty()) set.insert(FoldCase(std::string_view(line.data(), line.size())));
    }
    if (set.empty()) continue;
    lists_[CanonicalLanguage(code)] = std::move(set);
    ++found;
  }
  if (found == 0) return absl::NotFoundError(absl::StrCat(dir.string(), ": no stop-word lists"));
  return absl::OkStatus();
}

absl::StatusOr<StopWords> StopWords::LoadDefault() {
  absl::StatusOr<std::filesystem::path> dir = FindNpmPackage(kPackage, kFile);
  if (!dir.ok()) return dir.status();
  absl::StatusOr<StopWords> out = LoadFromFile(*dir / kFile);
  if (!out.ok()) return out.status();
  absl::StatusOr<std::filesystem::path> snowball =
      FindNpmPackage(kSnowballPackage, std::string(kSnowballDir) + "/english");
  if (!snowball.ok()) return snowball.status();
  if (absl::Status s = out->OverrideFromSnowballDir(*snowball / kSnowballDir); !s.ok()) return s;
  return out;
}

namespace {

struct DefaultStopWords {
  StopWords words;
  absl::Status status;
};

const DefaultStopWords& LoadedDefault() {
  static const DefaultStopWords* const instance = [] {
    auto* out = new DefaultStopWords;
    absl::StatusOr<StopWords> loaded = StopWords::LoadDefault();
    if (loaded.ok()) {
      out->words = *std::move(loaded);
    } else {
      out->status = loaded.status();
    }
    return out;
  }();
  return *instance;
}

}  // namespace

const StopWords& StopWords::Default() { return LoadedDefault().words; }

absl::Status StopWords::DefaultStatus() { return LoadedDefault().status; }

StopWords StopWords::FromLists(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& lists) {
  StopWords out;
  for (const auto& [language, words] : lists) {
    Set& set = out.lists_[CanonicalLanguage(language)];
    for (const std::string& w : words) set.insert(FoldCase(w));
  }
  return out;
}

const StopWords::Set* StopWords::ForLanguage(std::string_view language) const {
  if (lists_.empty()) return nullptr;
  auto it = lists_.find(CanonicalLanguage(language));
  return it == lists_.end() ? nullptr : &it->second;
}

std::vector<std::string> StopWords::Languages() const {
  std::vector<std::string> out;
  for (const auto& [language, set] : lists_) out.push_back(language);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tailor::text
