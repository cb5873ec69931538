#include "models/text/vader_tokens.h"

#include <array>

#include "models/text/utf8_scan.h"

namespace tailor::text {
namespace {

// The reference removes string.punctuation: every ASCII punctuation mark.
bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// PUNC_LIST of the reference: the only affixes that get stripped.
bool IsStrippableAffix(std::string_view p) {
  static constexpr std::array<std::string_view, 17> kPuncList = {
      ".",  "!",   "?",  ",",   ";",   ":",   "-",    "'",   "\"",
      "!!", "!!!", "??", "???", "?!?", "!?!", "?!?!", "!?!?"};
  for (std::string_view q : kPuncList) {
    if (p == q) return true;
  }
  return false;
}

// JavaScript `.length > 1`, cheap for ASCII.
bool LongerThanOneUnit(std::string_view s) {
  if (s.size() <= 1) return false;
  if (s.size() > 4) return true;
  return Utf16Length(s) > 1;
}

// The reference maps "<p><word>" and "<word><p>" to <word> for every p in
// PUNC_LIST and every punctuation-free word (of >1 unit) of the text. The
// word in question is always the token's own punctuation-free form, so the
// mapping can be decided from the token alone.
std::string_view StripAffix(std::string_view token) {
  size_t lead = 0;
  while (lead < token.size() && IsAsciiPunct(token[lead])) ++lead;
  if (lead == token.size()) return token;  // all punctuation (an emoticon)
  size_t trail = 0;
  while (trail < token.size() && IsAsciiPunct(token[token.size() - 1 - trail])) ++trail;
  if ((lead > 0) == (trail > 0)) return token;
  const std::string_view middle = token.substr(lead, token.size() - lead - trail);
  for (char c : middle) {
    if (IsAsciiPunct(c)) return token;
  }
  const std::string_view affix =
      lead > 0 ? token.substr(0, lead) : token.substr(token.size() - trail);
  if (!IsStrippableAffix(affix) || !LongerThanOneUnit(middle)) return token;
  return middle;
}

}  // namespace

void SplitVaderTokens(std::string_view text, std::vector<std::string_view>* tokens) {
  tokens->clear();
  size_t start = 0;
  size_t pos = 0;
  const auto flush = [&](size_t end) {
    const std::string_view token = text.substr(start, end - start);
    if (LongerThanOneUnit(token)) tokens->push_back(StripAffix(token));
  };
  while (pos < text.size()) {
    const size_t here = pos;
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    bool space;
    if (b < 0x80) {
      ++pos;
      space = b == ' ' || (b >= 0x09 && b <= 0x0D);
    } else {
      space = IsJsWhitespace(DecodeUtf8(text, &pos));
    }
    if (space) {
      flush(here);
      start = pos;
    }
  }
  flush(text.size());
}

bool IsAllCapsWord(std::string_view word) {
  bool upper = false;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') upper = true;
  }
  return upper;
}

bool HasCapDifferential(const std::vector<std::string_view>& tokens) {
  size_t caps = 0;
  for (std::string_view t : tokens) caps += IsAllCapsWord(t) ? 1 : 0;
  const size_t differential = tokens.size() - caps;
  return differential > 0 && differential < tokens.size();
}

}  // namespace tailor::text
