#include "models/text/language_detector.h"

#include <cld2/public/compact_lang_det.h>
#include <unicode/uchar.h>

#include <climits>

#include "models/text/utf8_scan.h"

namespace tailor::text {
namespace {

int CountLetters(std::string_view text, int enough) {
  int letters = 0;
  size_t pos = 0;
  while (pos < text.size() && letters < enough) {
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80) {
      ++pos;
      letters += (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    } else {
      const char32_t cp = DecodeUtf8(text, &pos);
      letters += cp != kReplacementChar && u_isalpha(static_cast<UChar32>(cp));
    }
  }
  return letters;
}

}  // namespace

LanguageGuess DetectLanguage(std::string_view text) {
  LanguageGuess guess;
  if (CountLetters(text, kMinLettersForDetection) < kMinLettersForDetection) return guess;
  const int length =
      text.size() > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(text.size());
  bool reliable = false;
  int valid_prefix = 0;
  CLD2::Language language =
      CLD2::DetectLanguageCheckUTF8(text.data(), length,
                                    /*is_plain_text=*/true, &reliable, &valid_prefix);
  if (valid_prefix < length) {
    // Examine the valid prefix rather than giving up on the whole text.
    language = CLD2::DetectLanguage(text.data(), valid_prefix, true, &reliable);
  }
  if (language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE) return guess;
  const std::string code = CanonicalLanguage(CLD2::LanguageCode(language));
  if (code.empty()) return guess;
  guess.code = code;
  guess.reliable = reliable;
  return guess;
}

}  // namespace tailor::text
