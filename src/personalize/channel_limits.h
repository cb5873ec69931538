// Channel length limits for rendered notifications: SMS segment counting
// (GSM 03.38 7-bit vs UCS-2), push title/body limits and email subject
// guidance, plus one validation call that says which part breaks which limit.
//
// Limits picked (ChannelLimits defaults), in user-perceived characters
// (grapheme clusters) unless stated:
//   SMS      GSM-7: 160 septets in one segment, 153 per segment when
//            concatenated; extension-table chars (^ { } \ [ ] ~ | € FF) take 2.
//            UCS-2 (any non-GSM char): 70 UTF-16 units, 67 per concatenated
//            segment; an emoji outside the BMP takes 2 units. Error above
//            3 segments, warning above 1 (each segment is billed).
//   push     title 65 (Android truncates around 65, iOS shows about one line),
//            body 240 (iOS lock screen shows about 4 lines, FCM/APNs payload
//            limits are far higher); over the limit is an error.
//   email    subject: warning above 60 (desktop clients cut near 60, mobile
//            near 40), error above 255; empty subject is an error.
//   in_app   same limits as push.
// All channels: empty body and invalid UTF-8 are errors.
//
//   absl::StatusOr<SmsCount> c = CountSms("Hi {Ada}");  // GSM-7, 10 units, 1 segment
//   for (const LimitViolation& v : ValidateMessage(decide::Channel::kPush, {.title = t, .body = b}))
//     LOG(v.message);
#ifndef TAILOR_PERSONALIZE_CHANNEL_LIMITS_H_
#define TAILOR_PERSONALIZE_CHANNEL_LIMITS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "models/decide/channel.h"

namespace tailor::personalize {

enum class SmsEncoding { kGsm7, kUcs2 };

struct SmsCount {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;     // GSM-7 septets or UTF-16 code units
  int segments = 0;  // 0 for an empty message
  int units_per_segment = 160;  // 160/153 (GSM-7) or 70/67 (UCS-2) as used
};

// Septets a code point takes in GSM-7: 1 (basic table), 2 (extension table)
// or 0 when it has no GSM-7 form.
int Gsm7Units(char32_t code_point);

// Encoding, units and segments of an SMS body. A concatenated message never
// splits an escape pair or a surrogate pair across segments (gateways move
// the whole character), so segments can exceed ceil(units / 153).
// InvalidArgument if `utf8` is not valid UTF-8.
absl::StatusOr<SmsCount> CountSms(std::string_view utf8);

struct ChannelLimits {
  int push_title_max = 65;
  int push_body_max = 240;
  int email_subject_recommended = 60;
  int email_subject_max = 255;
  int sms_max_segments = 3;
};

// The rendered text of one notification. Email uses `title` as the subject;
// SMS ignores it.
struct MessageParts {
  std::string title;
  std::string body;
};

enum class Severity { kWarning, kError };

struct LimitViolation {
  std::string part;   // "title", "subject" or "body"
  std::string rule;   // "max_length", "recommended_length", "max_segments",
                      // "multi_segment", "required", "utf8"
  int64_t actual = 0;
  int64_t limit = 0;
  Severity severity = Severity::kError;
  std::string message;  // human-readable, names part, rule, actual and limit
};

// Every broken limit, errors and warnings; empty when the message fits.
std::vector<LimitViolation> ValidateMessage(decide::Channel channel, const MessageParts& parts,
                                            const ChannelLimits& limits = {});

// True when no violation is an error.
bool Sendable(const std::vector<LimitViolation>& violations);

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_CHANNEL_LIMITS_H_
