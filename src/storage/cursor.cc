#include "storage/cursor.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "absl/strings/escaping.h"
#include "common/strings.h"

namespace tailor::storage {

int ClampPageLimit(int limit) { return std::max(1, std::min(limit, kMaxPageSize)); }

std::string EncodeCursor(std::string_view kind, std::string_view position) {
  return absl::WebSafeBase64Escape(StrCat(kind, "|", position));
}

absl::StatusOr<std::string> DecodeCursor(std::string_view kind, std::string_view cursor) {
  std::string raw;
  if (cursor.size() > 1024 || !absl::WebSafeBase64Unescape(std::string(cursor), &raw) ||
      raw.size() < kind.size() + 1 || raw.compare(0, kind.size(), kind) != 0 ||
      raw[kind.size()] != '|') {
    return absl::InvalidArgumentError("cursor is not one this server issued");
  }
  return raw.substr(kind.size() + 1);
}

absl::StatusOr<EventCursor> DecodeEventCursor(std::string_view cursor) {
  EventCursor out{std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max()};
  if (cursor.empty()) return out;
  absl::StatusOr<std::string> decoded = DecodeCursor("e", cursor);
  if (!decoded.ok()) return decoded.status();
  if (std::sscanf(decoded->c_str(), "%ld:%ld", &out.before_ts_micros, &out.before_seq) != 2) {
    return absl::InvalidArgumentError("cursor is not one this server issued");
  }
  return out;
}

std::string EncodeEventCursor(absl::Time timestamp, int64_t seq) {
  return EncodeCursor("e", StrCat(absl::ToUnixMicros(timestamp), ":", seq));
}

}  // namespace tailor::storage
