#include "models/text/emoji_translation.h"

#include "models/text/utf8_scan.h"

namespace tailor::text {
namespace {

bool IsEmojiModifier(char32_t cp) {
  return cp == 0xFE0E || cp == 0xFE0F || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

}  // namespace

bool TranslateEmoji(std::string_view text, const SentimentLexicon& lexicon, std::string* out) {
  if (lexicon.emoji_count() == 0 || IsAscii(text)) return false;
  out->clear();
  bool translated = false;
  bool prev_space = true;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t cp = DecodeUtf8(text, &pos);
    if (cp >= 0x80) {
      if (std::string_view name = lexicon.EmojiName(cp); !name.empty()) {
        if (!prev_space) out->push_back(' ');
        out->append(name);
        prev_space = false;
        translated = true;
        continue;
      }
      if (IsEmojiModifier(cp)) continue;
    }
    // Copy the original bytes (keeps invalid UTF-8 as it was).
    out->append(text.substr(start, pos - start));
    prev_space = cp == ' ';
  }
  if (!translated) return false;
  // Trim JavaScript whitespace at both ends.
  size_t begin = 0;
  size_t end_keep = 0;  // byte index just past the last non-space
  pos = 0;
  bool seen_content = false;
  while (pos < out->size()) {
    const size_t here = pos;
    const char32_t cp = DecodeUtf8(*out, &pos);
    if (IsJsWhitespace(cp)) continue;
    if (!seen_content) begin = here;
    seen_content = true;
    end_keep = pos;
  }
  if (!seen_content) {
    out->clear();
  } else {
    out->erase(end_keep);
    out->erase(0, begin);
  }
  return true;
}

}  // namespace tailor::text
