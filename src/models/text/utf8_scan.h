// Minimal UTF-8 scanning used by the text models: decode one code point,
// JavaScript's `\s` whitespace class, and JavaScript string length (UTF-16
// code units). The sentiment analyzer mirrors a JavaScript reference, so
// "length" and "whitespace" must mean what they mean there.
//
//   size_t pos = 0;
//   while (pos < text.size()) {
//     char32_t cp = tailor::text::DecodeUtf8(text, &pos);
//     if (tailor::text::IsJsWhitespace(cp)) ...
//   }
#ifndef TAILOR_MODELS_TEXT_UTF8_SCAN_H_
#define TAILOR_MODELS_TEXT_UTF8_SCAN_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace tailor::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at text[*pos] and advances *pos past it.
// Requires *pos < text.size(). An invalid or truncated sequence yields
// U+FFFD and advances by one byte (never loops, never reads out of range).
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `cp` (U+FFFD if cp is not a scalar value).
void AppendUtf8(char32_t cp, std::string* out);

// True for the characters JavaScript's RegExp `\s` matches (ECMAScript
// WhiteSpace and LineTerminator): TAB..CR, SPACE, U+00A0, U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
bool IsJsWhitespace(char32_t cp);

// Number of UTF-16 code units the text occupies (JavaScript `.length`).
size_t Utf16Length(std::string_view text);

// True when every byte is < 0x80.
bool IsAscii(std::string_view text);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_UTF8_SCAN_H_
