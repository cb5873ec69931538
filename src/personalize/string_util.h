// Small std::string_view helpers for the template parser and filters.
// Debian's abseil has its own absl::string_view (not std::string_view), so
// absl's strip/number helpers do not accept std::string_view; these do.
//
//   std::string_view s = StripWhitespace("  n=3 ");   // "n=3"
//   int64_t n; bool ok = ParseInt64("42", &n);
#ifndef TAILOR_PERSONALIZE_STRING_UTIL_H_
#define TAILOR_PERSONALIZE_STRING_UTIL_H_

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace tailor::personalize {

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline std::string_view StripWhitespace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Whole-string decimal integer (optional leading '-'); false otherwise.
inline bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto res = std::from_chars(s.data(), s.data() + s.size(), *out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// Whole-string finite decimal number; false otherwise.
inline bool ParseFiniteDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto res = std::from_chars(s.data(), s.data() + s.size(), *out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size() && std::isfinite(*out);
}

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_STRING_UTIL_H_
