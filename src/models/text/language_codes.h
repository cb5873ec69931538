// One spelling per language across cld2, the npm data packages and callers'
// BCP 47 tags: the lowercase primary subtag, with retired ISO 639 codes
// replaced ("iw" -> "he", "jw" -> "jv", "in" -> "id", "ji" -> "yi"),
// Norwegian Bokmål as "no", Filipino as "tl", and Traditional Chinese kept
// apart as "zh-Hant" (the Chinese word lists are Simplified).
//
//   tailor::text::CanonicalLanguage("pt-BR");   // "pt"
//   tailor::text::CanonicalLanguage("iw");      // "he"
//   tailor::text::CanonicalLanguage("zh-TW");   // "zh-Hant"
//   tailor::text::CanonicalLanguage("");        // "" (no language)
#ifndef TAILOR_MODELS_TEXT_LANGUAGE_CODES_H_
#define TAILOR_MODELS_TEXT_LANGUAGE_CODES_H_

#include <string>
#include <string_view>

namespace tailor::text {

// "und": the language is not known (BCP 47's code for undetermined).
inline constexpr std::string_view kUndetermined = "und";

// Canonical code of a language tag or cld2 code; "" when `tag` is empty or
// its first subtag is not 2-3 ASCII letters ("und" stays "und").
std::string CanonicalLanguage(std::string_view tag);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_LANGUAGE_CODES_H_
