#include "models/text/language_codes.h"

#include <array>
#include <utility>

namespace tailor::text {

std::string CanonicalLanguage(std::string_view tag) {
  const size_t end = tag.find_first_of("-_");
  std::string_view primary = tag.substr(0, end);
  if (primary.size() < 2 || primary.size() > 3) return "";
  std::string code;
  for (char c : primary) {
    const bool upper = c >= 'A' && c <= 'Z';
    if (!upper && !(c >= 'a' && c <= 'z')) return "";
    code.push_back(upper ? static_cast<char>(c + 32) : c);
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kAliases = {{
      {"iw", "he"},
      {"jw", "jv"},
      {"in", "id"},
      {"ji", "yi"},
      {"nb", "no"},
      {"fil", "tl"},
      {"zho", "zh"},
  }};
  for (const auto& [from, to] : kAliases) {
    if (code == from) code = std::string(to);
  }
  if (code == "zh" && end != std::string_view::npos) {
    std::string rest;
    for (char c : tag.substr(end + 1)) rest.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
    const std::string_view r = rest;
    if (r.substr(0, 4) == "hant" || r.substr(0, 2) == "tw" || r.substr(0, 2) == "hk" ||
        r.substr(0, 2) == "mo") {
      return "zh-Hant";
    }
  }
  return code;
}

}  // namespace tailor::text
