#include "domain/validation.h"

#include <cctz/time_zone.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "common/strings.h"

namespace tailor::domain {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c >> 5) == 0x6) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c >> 4) == 0xe) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c >> 3) == 0x1e) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

bool HasControlCharacters(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 || u == 0x7f) return true;
    // U+0080..U+009F are C2 80..C2 9F in UTF-8.
    if (u == 0xc2 && i + 1 < s.size()) {
      unsigned char next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
}

absl::Status ValidateId(std::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError("must not be empty");
  if (id.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(
        StrCat("must be at most ", kMaxIdBytes, " bytes (got ", id.size(), ")"));
  }
  if (HasControlCharacters(id)) {
    return absl::InvalidArgumentError("must not contain control characters");
  }
  if (!IsValidUtf8(id)) return absl::InvalidArgumentError("must be valid UTF-8");
  return absl::OkStatus();
}

absl::Status ValidateTimeZone(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return absl::InvalidArgumentError("must be an IANA time zone name such as Europe/Paris");
  }
  for (char c : name) {
    if (!(absl::ascii_isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+')) {
      return absl::InvalidArgumentError("must be an IANA time zone name such as Europe/Paris");
    }
  }
  if (name.find("..") != std::string_view::npos || name.front() == '/') {
    return absl::InvalidArgumentError("must be an IANA time zone name such as Europe/Paris");
  }
  // cctz's zone registry takes a process-wide lock; remember the zones this
  // thread has already seen so hot paths do not contend on it.
  thread_local absl::flat_hash_set<std::string> known;
  if (known.contains(absl::string_view(name.data(), name.size()))) return absl::OkStatus();
  cctz::time_zone tz;
  if (!cctz::load_time_zone(std::string(name), &tz)) {
    return absl::InvalidArgumentError(StrCat("unknown time zone \"", name, "\""));
  }
  if (known.size() < 1024) known.emplace(name);
  return absl::OkStatus();
}

absl::Status ValidateLocale(std::string_view tag) {
  auto bad = [] {
    return absl::InvalidArgumentError("must be a BCP 47 language tag such as en or pt-BR");
  };
  if (tag.empty() || tag.size() > 35) return bad();
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= tag.size(); ++i) {
    if (i == tag.size() || tag[i] == '-' || tag[i] == '_') {
      parts.push_back(tag.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts[0].size() < 2 || parts[0].size() > 3) return bad();
  for (char c : parts[0]) {
    if (!absl::ascii_isalpha(c)) return bad();
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i].size() > 8) return bad();
    for (char c : parts[i]) {
      if (!absl::ascii_isalnum(c)) return bad();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text) {
  // RFC 3339 requires the "T" (or a space, which RFC 3339 permits) and a zone.
  if (text.size() < 20 || text.size() > 40) {
    return absl::InvalidArgumentError("must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z");
  }
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return absl::InvalidArgumentError("must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z");
  }
  // Normalized to the microsecond, the precision Tailor stores and answers.
  return absl::FromUnixMicros(absl::ToUnixMicros(t));
}

std::string FormatRfc3339(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    return absl::FormatTime("%Y-%m-%d%ET%H:%M:%SZ", t, absl::UTCTimeZone());
  }
  const int64_t micros = absl::ToUnixMicros(t);  // rounds toward the past
  const int64_t sub = ((micros % 1000000) + 1000000) % 1000000;
  const char* format = sub == 0          ? "%Y-%m-%d%ET%H:%M:%SZ"
                       : sub % 1000 == 0 ? "%Y-%m-%d%ET%H:%M:%E3SZ"
                                         : "%Y-%m-%d%ET%H:%M:%E6SZ";
  return absl::FormatTime(format, absl::FromUnixMicros(micros), absl::UTCTimeZone());
}

}  // namespace tailor::domain
