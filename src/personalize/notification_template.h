// A notification template as tenants upload it (PUT /v1/templates/{id}):
// one or more variants, each with per-channel parts written in the template
// language (template.h), tagged with a tone and a length for the bandit and
// the user's preferences, plus a locale and what the bandit counts as
// success ("objective": opens | clicks (default) | conversion, with
// "conversion_event" naming the event type for conversion).
//
//   {"locale": "en-US", "objective": "clicks",
//    "variants": [{"id": "a", "tone": "friendly", "length": "short",
//                  "email": {"subject": "Hi {{user.first_name}}", "preheader": "...",
//                            "body": "<p>..</p>"},
//                  "sms": {"text": "..."},
//                  "push": {"title": "...", "body": "..."},
//                  "in_app": {"title": "...", "body": "..."}}]}
//
// Every part is compiled at upload, so syntax errors and unknown filters are
// rejected then, each naming its field (variants[0].email.subject: 1:5: ...).
// Email bodies are HTML-escaped; subjects, SMS, push and in-app text are not.
//
//   absl::StatusOr<NotificationTemplate> t = ParseNotificationTemplate(body, "welcome");
//   absl::StatusOr<RenderedMessage> m = RenderPart(t->variants[0], Channel::kSms, ctx, options);
#ifndef TAILOR_PERSONALIZE_NOTIFICATION_TEMPLATE_H_
#define TAILOR_PERSONALIZE_NOTIFICATION_TEMPLATE_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "absl/status/statusor.h"
#include "models/decide/bandit_objective.h"
#include "models/decide/channel.h"
#include "personalize/channel_limits.h"
#include "personalize/template.h"

namespace tailor::personalize {

inline constexpr size_t kMaxTemplateDocumentBytes = 64 * 1024;
inline constexpr size_t kMaxTemplatePartBytes = 16 * 1024;
inline constexpr size_t kMaxTemplateVariants = 20;

// One channel's parts. Email: title = subject, preheader, body. SMS: body.
// Push and in-app: title, body.
struct ChannelParts {
  std::optional<CompiledTemplate> title;
  std::optional<CompiledTemplate> preheader;
  std::optional<CompiledTemplate> body;
};

struct TemplateVariant {
  std::string id;
  std::string tone;
  std::string length;
  // By decide::Channel; empty optional: the variant has no such channel.
  std::array<std::optional<ChannelParts>, 4> channels;

  bool Has(decide::Channel c) const { return channels[static_cast<int>(c)].has_value(); }
};

struct NotificationTemplate {
  std::string id;
  std::string locale;  // BCP 47; empty: the user's or "en-US"
  // What the variant bandit maximises ("objective"; decide/bandit_objective.h)
  // and, for "conversion", the event type attributed through decision_id.
  decide::Objective objective = decide::kDefaultObjective;
  std::string conversion_event;
  std::vector<TemplateVariant> variants;
  boost::json::object source;  // the document as uploaded (answered by GET)
};

// Validates and compiles an uploaded document. InvalidArgument with field
// errors for: not an object, over kMaxTemplateDocumentBytes, no or too many
// variants, duplicate or malformed variant ids, a variant without a channel,
// unknown keys, a part over kMaxTemplatePartBytes or failing to compile.
absl::StatusOr<NotificationTemplate> ParseNotificationTemplate(const boost::json::value& doc,
                                                               std::string_view id);

struct RenderedMessage {
  MessageParts parts;     // title (subject) and body
  std::string preheader;  // email only
  RenderStats stats;
  std::vector<LimitViolation> violations;  // warnings only when rendering succeeded
  std::optional<SmsCount> sms;
};

// Renders one variant's parts for `channel`. Errors: the render's own
// (NotFound for a missing variable without a default, ...), or
// FailedPrecondition naming the broken channel limit; InvalidArgument when
// the variant has no part for `channel`.
absl::StatusOr<RenderedMessage> RenderVariant(const TemplateVariant& variant,
                                              decide::Channel channel,
                                              const boost::json::value& context,
                                              const RenderOptions& options,
                                              const ChannelLimits& limits = {});

// {"title"/"subject", "preheader", "body"} as the channel names them, plus
// "sms": {"encoding", "segments", "units"} for SMS.
boost::json::object RenderedMessageToJson(decide::Channel channel, const RenderedMessage& m);

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_NOTIFICATION_TEMPLATE_H_
