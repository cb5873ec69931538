// Validation rules shared by every resource: identifiers, time zones, locales,
// timestamps. Pure functions; no I/O except the time zone database lookup.
#ifndef TAILOR_DOMAIN_VALIDATION_H_
#define TAILOR_DOMAIN_VALIDATION_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tailor::domain {

inline constexpr size_t kMaxIdBytes = 128;

// An id is 1..128 bytes of valid UTF-8 with no control characters.
// Returns InvalidArgument with a message (no field name) otherwise.
absl::Status ValidateId(std::string_view id);

// True when `s` holds a C0 control character (U+0000..U+001F), DEL or a C1
// control (U+0080..U+009F, as UTF-8): never meant in a one-line value such
// as a title, a category, a header-like token or an attribute name.
bool HasControlCharacters(std::string_view s);

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// An IANA time zone name known to the system database (e.g. "Europe/Paris").
absl::Status ValidateTimeZone(std::string_view name);

// A BCP 47 language tag such as "en", "pt-BR", "zh-Hant-TW" (syntax only).
absl::Status ValidateLocale(std::string_view tag);

// RFC 3339 with a "Z" or numeric offset and any number of fraction digits.
// The time answered is normalized to the microsecond (finer digits dropped,
// toward the past), the precision Tailor stores and answers.
absl::StatusOr<absl::Time> ParseRfc3339(std::string_view text);
// RFC 3339 in UTC at the store's precision, the microsecond (finer parts are
// dropped, toward the past): no fraction for a whole second, else 3 digits
// when the microseconds are a whole millisecond, else 6, as Java's
// Instant.toString does: "2024-05-01T12:00:00Z", "...:00.250Z",
// "...:00.250001Z". Never more than 6 digits, whatever `t` carries.
std::string FormatRfc3339(absl::Time t);

}  // namespace tailor::domain

#endif  // TAILOR_DOMAIN_VALIDATION_H_
