// Page cursors shared by every Store backend: opaque, web-safe base64 of
// "<kind>|<position>", so a cursor of one listing is refused by another.
#ifndef TAILOR_STORAGE_CURSOR_H_
#define TAILOR_STORAGE_CURSOR_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tailor::storage {

inline constexpr int kMaxPageSize = 1000;

// `limit` clamped to [1, kMaxPageSize].
int ClampPageLimit(int limit);
std::string EncodeCursor(std::string_view kind, std::string_view position);
// The position of a cursor made by EncodeCursor(kind, ...); InvalidArgument
// for anything else.
absl::StatusOr<std::string> DecodeCursor(std::string_view kind, std::string_view cursor);

// Where a page of a user's events (newest first) ends: the next page holds
// events before (timestamp, seq). An empty cursor decodes to "from the newest".
struct EventCursor {
  int64_t before_ts_micros;
  int64_t before_seq;
};
absl::StatusOr<EventCursor> DecodeEventCursor(std::string_view cursor);
std::string EncodeEventCursor(absl::Time timestamp, int64_t seq);

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_CURSOR_H_
