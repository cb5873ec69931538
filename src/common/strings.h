// StrCat for std::string_view. Debian's abseil is built with its own
// absl::string_view (not an alias of std::string_view), so absl::StrCat does
// not take std::string_view arguments; this one takes anything fmt can format.
//
//   std::string path = tailor::StrCat("events[", i, "].", key);
#ifndef TAILOR_COMMON_STRINGS_H_
#define TAILOR_COMMON_STRINGS_H_

#include <fmt/format.h>

#include <iterator>
#include <string>
#include <string_view>

namespace tailor {

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  (fmt::format_to(std::back_inserter(out), "{}", args), ...);
  return out;
}

// absl::string_view -> std::string_view (absl::Status::message() returns the former).
template <typename S>
std::string_view View(const S& s) {
  return std::string_view(s.data(), s.size());
}

}  // namespace tailor

#endif  // TAILOR_COMMON_STRINGS_H_
