#include "personalize/template_filters.h"

#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include "common/strings.h"
#include "personalize/string_util.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "personalize/unicode_text.h"

namespace tailor::personalize {
namespace {

const char* FilterName(FilterKind kind) {
  switch (kind) {
    case FilterKind::kDefault: return "default";
    case FilterKind::kUpper: return "upper";
    case FilterKind::kLower: return "lower";
    case FilterKind::kTruncate: return "truncate";
    case FilterKind::kNumber: return "number";
    case FilterKind::kCurrency: return "currency";
    case FilterKind::kDate: return "date";
    case FilterKind::kDateTime: return "datetime";
  }
  return "?";
}

absl::Status FilterError(const Filter& f, std::string_view message) {
  return absl::InvalidArgumentError(StrCat("filter '", FilterName(f.kind), "' at ",
                                                 f.pos.line, ":", f.pos.column, ": ", message));
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString FromUtf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
}

icu::DateFormat::EStyle StyleOf(const std::string& style) {
  if (style == "short") return icu::DateFormat::kShort;
  if (style == "long") return icu::DateFormat::kLong;
  if (style == "full") return icu::DateFormat::kFull;
  return icu::DateFormat::kMedium;
}

// Numbers may arrive as JSON numbers or as numeric strings (CSV imports).
struct Number {
  bool is_int = false;
  int64_t i = 0;
  double d = 0;
};

std::optional<Number> AsNumber(const boost::json::value& v) {
  Number n;
  if (v.is_int64()) {
    n.is_int = true;
    n.i = v.get_int64();
    return n;
  }
  if (v.is_uint64()) {
    if (v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
      n.is_int = true;
      n.i = static_cast<int64_t>(v.get_uint64());
    } else {
      n.d = static_cast<double>(v.get_uint64());
    }
    return n;
  }
  if (v.is_double()) {
    n.d = v.get_double();
    return n;
  }
  if (v.is_string()) {
    std::string_view s = v.get_string();
    if (ParseInt64(s, &n.i)) {
      n.is_int = true;
      return n;
    }
    if (ParseFiniteDouble(s, &n.d)) return n;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> FormatNumber(const Filter& f, const Number& n, FilterContext& ctx) {
  UErrorCode status = U_ZERO_ERROR;
  icu::number::LocalizedNumberFormatter fmt =
      icu::number::NumberFormatter::withLocale(ctx.locale());
  if (f.kind == FilterKind::kCurrency) {
    std::u16string code(f.text_arg.begin(), f.text_arg.end());
    icu::CurrencyUnit unit(code.c_str(), status);
    if (U_FAILURE(status)) return FilterError(f, StrCat("unknown currency ", f.text_arg));
    fmt = fmt.unit(unit);
  } else if (f.int_arg >= 0) {
    fmt = fmt.precision(icu::number::Precision::fixedFraction(static_cast<int32_t>(f.int_arg)));
  }
  icu::UnicodeString out =
      (n.is_int ? fmt.formatInt(n.i, status) : fmt.formatDouble(n.d, status)).toString(status);
  if (U_FAILURE(status)) return FilterError(f, u_errorName(status));
  return ToUtf8(out);
}

absl::StatusOr<std::string> FormatDate(const Filter& f, const boost::json::value& v,
                                       FilterContext& ctx) {
  absl::Time t;
  bool civil_date = false;  // a bare calendar date: format it as that date anywhere
  if (v.is_string()) {
    std::string s(v.get_string());
    std::string err;
    absl::CivilDay day;
    if (s.size() == 10 && absl::ParseCivilTime(s, &day)) {
      t = absl::FromCivil(day, absl::UTCTimeZone());
      civil_date = true;
    } else if (!absl::ParseTime(absl::RFC3339_full, s, &t, &err)) {
      return FilterError(f, StrCat("'", s, "' is not an RFC 3339 time or YYYY-MM-DD date"));
    }
  } else if (auto n = AsNumber(v)) {
    t = n->is_int ? absl::FromUnixSeconds(n->i) : absl::FromUnixMillis(std::llround(n->d * 1000));
  } else {
    return FilterError(f, "value is not a time (RFC 3339 text or epoch seconds)");
  }
  if (civil_date && f.kind == FilterKind::kDateTime) {
    return FilterError(f, "value is a date without a time; use the 'date' filter");
  }
  icu::DateFormat* df = ctx.DateFormatter(f.text_arg, f.kind == FilterKind::kDateTime);
  if (df == nullptr) return FilterError(f, "ICU could not build a date formatter");
  icu::UnicodeString out;
  const UDate when = static_cast<UDate>(absl::ToUnixMillis(t));
  if (civil_date) {
    std::unique_ptr<icu::TimeZone> saved(df->getTimeZone().clone());
    df->setTimeZone(*icu::TimeZone::getGMT());
    df->format(when, out);
    df->setTimeZone(*saved);
  } else {
    df->format(when, out);
  }
  return ToUtf8(out);
}

}  // namespace

FilterContext::~FilterContext() = default;

absl::StatusOr<std::unique_ptr<FilterContext>> FilterContext::Create(std::string_view locale,
                                                                     std::string_view time_zone) {
  std::unique_ptr<FilterContext> ctx(new FilterContext());
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale loc = icu::Locale::forLanguageTag(icu::StringPiece(locale.data(), locale.size()),
                                                status);
  if (U_FAILURE(status) || loc.isBogus() || locale.empty()) {
    return absl::InvalidArgumentError(StrCat("bad locale '", locale, "'"));
  }
  ctx->locale_ = std::make_unique<icu::Locale>(loc);
  ctx->zone_.reset(icu::TimeZone::createTimeZone(FromUtf8(time_zone)));
  if (ctx->zone_ == nullptr || *ctx->zone_ == icu::TimeZone::getUnknown()) {
    return absl::InvalidArgumentError(StrCat("unknown time zone '", time_zone, "'"));
  }
  return ctx;
}

icu::DateFormat* FilterContext::DateFormatter(const std::string& style, bool with_time) {
  std::string key = StrCat(with_time ? "dt:" : "d:", style);
  auto it = date_formats_.find(key);
  if (it != date_formats_.end()) return it->second.get();
  std::unique_ptr<icu::DateFormat> df(
      with_time ? icu::DateFormat::createDateTimeInstance(StyleOf(style), StyleOf(style), *locale_)
                : icu::DateFormat::createDateInstance(StyleOf(style), *locale_));
  if (df != nullptr) df->setTimeZone(*zone_);
  icu::DateFormat* raw = df.get();
  date_formats_[key] = std::move(df);
  return raw;
}

absl::StatusOr<std::string> ScalarToString(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null: return std::string();
    case boost::json::kind::bool_: return std::string(value.get_bool() ? "true" : "false");
    case boost::json::kind::int64: return StrCat(value.get_int64());
    case boost::json::kind::uint64: return StrCat(value.get_uint64());
    case boost::json::kind::double_: {
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof(buf), value.get_double());
      return std::string(buf, res.ptr);
    }
    case boost::json::kind::string: return std::string(value.get_string());
    case boost::json::kind::array:
    case boost::json::kind::object:
      return absl::InvalidArgumentError("value is a list or object, not text");
  }
  return std::string();
}

absl::StatusOr<std::optional<boost::json::value>> ApplyFilter(
    const Filter& filter, std::optional<boost::json::value> value, FilterContext& ctx) {
  const bool missing = !value.has_value() || value->is_null() ||
                       (value->is_string() && value->get_string().empty());
  if (filter.kind == FilterKind::kDefault) {
    if (missing) return std::optional<boost::json::value>(boost::json::string(filter.text_arg));
    return value;
  }
  if (!value.has_value() || value->is_null()) return std::optional<boost::json::value>();
  switch (filter.kind) {
    case FilterKind::kUpper:
    case FilterKind::kLower:
    case FilterKind::kTruncate: {
      absl::StatusOr<std::string> text = ScalarToString(*value);
      if (!text.ok()) return FilterError(filter, View(text.status().message()));
      std::string out;
      if (filter.kind == FilterKind::kTruncate) {
        out = TruncateGraphemes(*text, static_cast<size_t>(filter.int_arg));
      } else {
        icu::UnicodeString u = FromUtf8(*text);
        if (filter.kind == FilterKind::kUpper) {
          u.toUpper(ctx.locale());
        } else {
          u.toLower(ctx.locale());
        }
        out = ToUtf8(u);
      }
      return std::optional<boost::json::value>(boost::json::string(out));
    }
    case FilterKind::kNumber:
    case FilterKind::kCurrency: {
      std::optional<Number> n = AsNumber(*value);
      if (!n) return FilterError(filter, "value is not a number");
      absl::StatusOr<std::string> out = FormatNumber(filter, *n, ctx);
      if (!out.ok()) return out.status();
      return std::optional<boost::json::value>(boost::json::string(*out));
    }
    case FilterKind::kDate:
    case FilterKind::kDateTime: {
      absl::StatusOr<std::string> out = FormatDate(filter, *value, ctx);
      if (!out.ok()) return out.status();
      return std::optional<boost::json::value>(boost::json::string(*out));
    }
    case FilterKind::kDefault: break;
  }
  return value;
}

}  // namespace tailor::personalize
