#include "personalize/channel_limits.h"

#include <algorithm>
#include <string_view>

#include <unicode/utf8.h>

#include "common/strings.h"
#include "personalize/unicode_text.h"

namespace tailor::personalize {
namespace {

// GSM 03.38 basic character set, non-ASCII-letter/digit part (letters and
// digits are handled by range checks).
constexpr std::u32string_view kGsmBasic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà";
// GSM 03.38 extension table: sent as ESC + char, so two septets.
constexpr std::u32string_view kGsmExtension = U"\f^{}\\[~]|€";

// Packs character sizes into segments of `per_segment` units without
// splitting a character. Returns the segment count.
int PackSegments(const std::vector<int>& sizes, int per_segment) {
  int segments = 1;
  int used = 0;
  for (int s : sizes) {
    if (used + s > per_segment) {
      ++segments;
      used = 0;
    }
    used += s;
  }
  return segments;
}

LimitViolation Make(std::string part, std::string rule, int64_t actual, int64_t limit,
                    Severity severity, std::string_view what) {
  LimitViolation v;
  v.message = StrCat(part, ": ", what, " (", actual, " > ", limit, ")");
  v.part = std::move(part);
  v.rule = std::move(rule);
  v.actual = actual;
  v.limit = limit;
  v.severity = severity;
  return v;
}

LimitViolation Required(std::string part) {
  LimitViolation v;
  v.message = StrCat(part, ": must not be empty");
  v.part = std::move(part);
  v.rule = "required";
  v.actual = 0;
  v.limit = 1;
  return v;
}

// Empty/UTF-8 checks shared by every part; false when length checks make no sense.
bool CheckText(const std::string& part, std::string_view text, bool required,
               std::vector<LimitViolation>* out) {
  if (!IsValidUtf8(text)) {
    LimitViolation v;
    v.part = part;
    v.rule = "utf8";
    v.message = StrCat(part, ": not valid UTF-8");
    out->push_back(std::move(v));
    return false;
  }
  if (text.empty()) {
    if (required) out->push_back(Required(part));
    return false;
  }
  return true;
}

void CheckGraphemes(const std::string& part, std::string_view text, int max, Severity severity,
                    const char* rule, std::vector<LimitViolation>* out) {
  const auto n = static_cast<int64_t>(CountGraphemes(text));
  if (n > max) {
    out->push_back(Make(part, rule, n, max, severity,
                        severity == Severity::kError ? "too many characters"
                                                     : "longer than recommended"));
  }
}

}  // namespace

int Gsm7Units(char32_t c) {
  if ((c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) return 1;
  if (kGsmBasic.find(c) != std::u32string_view::npos) return 1;
  if (kGsmExtension.find(c) != std::u32string_view::npos) return 2;
  return 0;
}

absl::StatusOr<SmsCount> CountSms(std::string_view utf8) {
  if (!IsValidUtf8(utf8)) return absl::InvalidArgumentError("SMS text is not valid UTF-8");
  std::vector<int> gsm_sizes;
  std::vector<int> ucs_sizes;
  bool gsm = true;
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    ucs_sizes.push_back(c > 0xFFFF ? 2 : 1);
    if (gsm) {
      int units = Gsm7Units(static_cast<char32_t>(c));
      if (units == 0) {
        gsm = false;
      } else {
        gsm_sizes.push_back(units);
      }
    }
  }
  SmsCount out;
  const std::vector<int>& sizes = gsm ? gsm_sizes : ucs_sizes;
  out.encoding = gsm ? SmsEncoding::kGsm7 : SmsEncoding::kUcs2;
  for (int s : sizes) out.units += s;
  const int single = gsm ? 160 : 70;
  const int multi = gsm ? 153 : 67;
  if (out.units == 0) {
    out.segments = 0;
    out.units_per_segment = single;
  } else if (out.units <= single) {
    out.segments = 1;
    out.units_per_segment = single;
  } else {
    out.segments = PackSegments(sizes, multi);
    out.units_per_segment = multi;
  }
  return out;
}

std::vector<LimitViolation> ValidateMessage(decide::Channel channel, const MessageParts& parts,
                                            const ChannelLimits& limits) {
  std::vector<LimitViolation> out;
  switch (channel) {
    case decide::Channel::kSms: {
      if (!CheckText("body", parts.body, true, &out)) break;
      absl::StatusOr<SmsCount> count = CountSms(parts.body);
      if (!count.ok()) break;  // UTF-8 was checked above
      const char* enc = count->encoding == SmsEncoding::kGsm7 ? "GSM-7" : "UCS-2";
      if (count->segments > limits.sms_max_segments) {
        out.push_back(Make("body", "max_segments", count->segments, limits.sms_max_segments,
                           Severity::kError, StrCat("too many SMS segments in ", enc)));
      } else if (count->segments > 1) {
        out.push_back(Make("body", "multi_segment", count->segments, 1, Severity::kWarning,
                           StrCat("billed as several SMS segments in ", enc)));
      }
      break;
    }
    case decide::Channel::kPush:
    case decide::Channel::kInApp: {
      if (CheckText("title", parts.title, false, &out)) {
        CheckGraphemes("title", parts.title, limits.push_title_max, Severity::kError,
                       "max_length", &out);
      }
      if (CheckText("body", parts.body, true, &out)) {
        CheckGraphemes("body", parts.body, limits.push_body_max, Severity::kError, "max_length",
                       &out);
      }
      break;
    }
    case decide::Channel::kEmail: {
      if (CheckText("subject", parts.title, true, &out)) {
        const auto n = static_cast<int64_t>(CountGraphemes(parts.title));
        if (n > limits.email_subject_max) {
          out.push_back(Make("subject", "max_length", n, limits.email_subject_max,
                             Severity::kError, "too many characters"));
        } else if (n > limits.email_subject_recommended) {
          out.push_back(Make("subject", "recommended_length", n,
                             limits.email_subject_recommended, Severity::kWarning,
                             "longer than recommended; clients will cut it"));
        }
      }
      CheckText("body", parts.body, true, &out);
      break;
    }
  }
  return out;
}

bool Sendable(const std::vector<LimitViolation>& violations) {
  return std::none_of(violations.begin(), violations.end(),
                      [](const LimitViolation& v) { return v.severity == Severity::kError; });
}

}  // namespace tailor::personalize
