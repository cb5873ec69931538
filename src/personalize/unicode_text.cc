#include "personalize/unicode_text.h"

#include <memory>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace tailor::personalize {
namespace {

// A grapheme break iterator for the root locale, created once per thread:
// creating one costs far more than using it.
icu::BreakIterator* GraphemeIterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iter = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) it.reset();
    return it;
  }();
  return iter.get();
}

// UTF-16 offsets of every grapheme boundary of `text`, including 0 and length.
std::vector<int32_t> GraphemeBoundaries(const icu::UnicodeString& text) {
  std::vector<int32_t> out;
  icu::BreakIterator* it = GraphemeIterator();
  if (it == nullptr) {  // ICU data missing: fall back to code points.
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) out.push_back(i);
    out.push_back(text.length());
    return out;
  }
  it->setText(text);
  for (int32_t b = it->first(); b != icu::BreakIterator::DONE; b = it->next()) out.push_back(b);
  if (out.empty()) out.push_back(0);
  return out;
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0;
  const auto n = static_cast<int32_t>(s.size());
  if (s.size() > static_cast<size_t>(INT32_MAX)) return false;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

size_t CountGraphemes(std::string_view utf8) {
  if (utf8.empty()) return 0;
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
  return GraphemeBoundaries(text).size() - 1;
}

std::string TruncateGraphemes(std::string_view utf8, size_t max_graphemes,
                              std::string_view ellipsis) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()));
  std::vector<int32_t> bounds = GraphemeBoundaries(text);
  const size_t count = bounds.size() - 1;
  if (count <= max_graphemes) return std::string(utf8);
  const size_t ellipsis_len = CountGraphemes(ellipsis);
  if (max_graphemes < ellipsis_len || ellipsis_len == 0) {
    return ToUtf8(text.tempSubString(0, bounds[max_graphemes]));
  }
  int32_t end = bounds[max_graphemes - ellipsis_len];
  while (end > 0 && u_isWhitespace(text.char32At(end - 1))) end = text.moveIndex32(end, -1);
  return ToUtf8(text.tempSubString(0, end)) + std::string(ellipsis);
}

}  // namespace tailor::personalize
