#include "models/text/word_tokens.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <climits>
#include <memory>
#include <utility>

#include "models/text/utf8_scan.h"

namespace tailor::text {
namespace {

// A word break iterator for the root locale, created once per thread:
// creating one costs far more than using it. nullptr if ICU data is missing.
icu::BreakIterator* ThreadWordIterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iter = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) it.reset();
    return it;
  }();
  return iter.get();
}

bool HasLetterOrDigit(const icu::UnicodeString& text, int32_t start, int32_t end) {
  const char16_t* buffer = text.getBuffer();
  for (int32_t i = start; i < end;) {
    UChar32 c;
    U16_NEXT(buffer, i, end, c);
    if (u_isalnum(c)) return true;
  }
  return false;
}

// Word boundaries as [start, end) pairs in UTF-16 units.
void WordSpans(const icu::UnicodeString& text, std::vector<std::pair<int32_t, int32_t>>* spans) {
  spans->clear();
  icu::BreakIterator* it = ThreadWordIterator();
  if (it != nullptr) {
    it->setText(text);
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
      spans->emplace_back(start, end);
    }
    return;
  }
  // No ICU data: runs of letters and digits are words.
  const char16_t* buffer = text.getBuffer();
  int32_t start = -1;
  for (int32_t i = 0; i < text.length();) {
    const int32_t at = i;
    UChar32 c;
    U16_NEXT(buffer, i, text.length(), c);
    const bool word = u_isalnum(c) || (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_MC_MASK)) != 0;
    if (word && start < 0) start = at;
    if (!word && start >= 0) {
      spans->emplace_back(start, at);
      start = -1;
    }
  }
  if (start >= 0) spans->emplace_back(start, text.length());
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ASCII letters and digits, with apostrophes only between two letters: one
// ICU word (UAX #29 rules WB6, WB7, WB8-WB10).
bool IsPlainAsciiWord(std::string_view text) {
  if (text.empty()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsAsciiLetter(c) || (c >= '0' && c <= '9')) continue;
    if (c != '\'' || i == 0 || i + 1 == text.size() || !IsAsciiLetter(text[i - 1]) ||
        !IsAsciiLetter(text[i + 1])) {
      return false;
    }
  }
  return true;
}

icu::UnicodeString Folded(std::string_view text) {
  const int32_t length =
      text.size() > static_cast<size_t>(INT32_MAX) ? INT32_MAX : static_cast<int32_t>(text.size());
  icu::UnicodeString folded = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), length));
  folded.foldCase(U_FOLD_CASE_DEFAULT);
  // The typographic apostrophe as the ASCII one, which stop word lists,
  // lexicons and Snowball's English possessive rule expect.
  folded.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x2019)),
                        icu::UnicodeString(static_cast<UChar32>(0x27)));
  return folded;
}

}  // namespace

void FoldedWords(std::string_view text, std::vector<std::string>* words) {
  words->clear();
  // Plain ASCII words ("Great", "can't") need neither ICU conversion nor a
  // break iterator; ICU would give the same single word.
  if (IsPlainAsciiWord(text)) {
    words->push_back(FoldCase(text));
    return;
  }
  const icu::UnicodeString folded = Folded(text);
  thread_local std::vector<std::pair<int32_t, int32_t>> spans;
  WordSpans(folded, &spans);
  for (const auto& [start, end] : spans) {
    if (!HasLetterOrDigit(folded, start, end)) continue;
    words->emplace_back();
    folded.tempSubStringBetween(start, end).toUTF8String(words->back());
  }
}

std::string FoldCase(std::string_view text) {
  std::string out;
  if (IsAscii(text)) {  // ASCII folds to ASCII lowercase
    out.reserve(text.size());
    for (char c : text) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    return out;
  }
  Folded(text).toUTF8String(out);
  return out;
}

}  // namespace tailor::text
