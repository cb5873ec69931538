// StrCat for std::string_view. Debian's abseil is built with its own
// absl::string_view (not an alias of std::string_view), so absl::StrCat does
// not take std::string_view arguments; this one takes anything fmt can format.
//
//   std::string path = tailor::StrCat("events[", i, "].", key);
#ifndef TAILOR_COMMON_STRINGS_H_
#define TAILOR_COMMON_STRINGS_H_

#include <fmt/format.h>

#include <functional>
#include <iterator>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

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

// Heterogeneous string keys: a std::string-keyed map looked up by
// std::string_view without a copy (the default absl hasher takes only
// absl::string_view, which Debian's build keeps distinct).
struct StringKeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct StringKeyEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};
template <typename V>
using StringMap = absl::flat_hash_map<std::string, V, StringKeyHash, StringKeyEq>;

}  // namespace tailor

#endif  // TAILOR_COMMON_STRINGS_H_
