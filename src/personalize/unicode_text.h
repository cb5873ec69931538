// Unicode helpers shared by the template filters and the channel limits:
// UTF-8 validation, user-perceived character (grapheme cluster) counting and
// grapheme-safe truncation, all through ICU so a flag emoji or an "e" with a
// combining accent counts as one character and is never cut in half.
//
//   if (!IsValidUtf8(s)) return absl::InvalidArgumentError("not UTF-8");
//   size_t n = CountGraphemes("Grüße 👋🏽");          // 7
//   std::string t = TruncateGraphemes("Hello world", 8);  // "Hello w…"
#ifndef TAILOR_PERSONALIZE_UNICODE_TEXT_H_
#define TAILOR_PERSONALIZE_UNICODE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace tailor::personalize {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Number of extended grapheme clusters. Requires valid UTF-8 (ill-formed
// sequences count as one cluster each, as U+FFFD would).
size_t CountGraphemes(std::string_view utf8);

// Returns `utf8` unchanged when it has at most `max_graphemes` clusters;
// otherwise the first clusters followed by `ellipsis`, so that the result has
// at most `max_graphemes` clusters in total (the ellipsis counts as its own
// clusters). Whitespace before the ellipsis is dropped. When `max_graphemes`
// is smaller than the ellipsis, the text is cut without one.
std::string TruncateGraphemes(std::string_view utf8, size_t max_graphemes,
                              std::string_view ellipsis = "\u2026");

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_UNICODE_TEXT_H_
