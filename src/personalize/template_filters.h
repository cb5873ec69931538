// The filters of the template language (`{{x | upper}}`, `number`,
// `currency:"EUR"`, `date:"medium"`, ...), evaluated against one render's
// locale and time zone with ICU. Used by CompiledTemplate::Render().
//
//   absl::StatusOr<std::unique_ptr<FilterContext>> ctx = FilterContext::Create("de-DE", "Europe/Berlin");
//   Filter f{FilterKind::kCurrency, "EUR"};
//   auto out = ApplyFilter(f, boost::json::value(1234.5), **ctx);  // "1.234,50 €" (NBSP before €)
#ifndef TAILOR_PERSONALIZE_TEMPLATE_FILTERS_H_
#define TAILOR_PERSONALIZE_TEMPLATE_FILTERS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include "absl/status/statusor.h"
#include "boost/json/value.hpp"
#include "personalize/template_ast.h"

namespace tailor::personalize {

// Locale, time zone and the ICU formatters built from them, created lazily
// and reused within one render. Not thread-safe; cheap to create per render.
class FilterContext {
 public:
  // InvalidArgument for a malformed BCP 47 locale tag or an unknown IANA time
  // zone name.
  static absl::StatusOr<std::unique_ptr<FilterContext>> Create(std::string_view locale,
                                                               std::string_view time_zone);
  ~FilterContext();

  const icu::Locale& locale() const { return *locale_; }
  const icu::TimeZone& time_zone() const { return *zone_; }
  // A cached date (or date-time when `with_time`) formatter for `style`
  // ("short", "medium", "long", "full"); null if ICU cannot build one.
  icu::DateFormat* DateFormatter(const std::string& style, bool with_time);

 private:
  FilterContext() = default;
  std::unique_ptr<icu::Locale> locale_;
  std::unique_ptr<icu::TimeZone> zone_;
  std::map<std::string, std::unique_ptr<icu::DateFormat>> date_formats_;
};

// Applies `filter` to `value` (std::nullopt: the variable is missing or null).
// Only `default` turns a missing value into a present one; the other filters
// pass a missing value through. Errors are InvalidArgument naming the filter
// (e.g. `number` on a non-numeric string, `date` on something that is neither
// RFC 3339 text, a YYYY-MM-DD date nor epoch seconds).
absl::StatusOr<std::optional<boost::json::value>> ApplyFilter(
    const Filter& filter, std::optional<boost::json::value> value, FilterContext& ctx);

// Text of a scalar: strings as is, numbers in shortest round-trip form
// ("1.5", "42"), true/false, null as "". Arrays and objects are
// InvalidArgument (a template should not dump raw structures).
absl::StatusOr<std::string> ScalarToString(const boost::json::value& value);

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_TEMPLATE_FILTERS_H_
