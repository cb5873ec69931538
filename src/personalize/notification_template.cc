#include "personalize/notification_template.h"

#include <set>

#include <boost/json.hpp>

#include "common/field_errors.h"
#include "common/strings.h"

namespace tailor::personalize {

namespace json = boost::json;
using decide::Channel;

namespace {

// The part names each channel accepts, and which ChannelParts slot they fill.
struct PartSpec {
  const char* name;
  std::optional<CompiledTemplate> ChannelParts::*slot;
  bool required;
};

std::vector<PartSpec> PartsOf(Channel c) {
  switch (c) {
    case Channel::kEmail:
      return {{"subject", &ChannelParts::title, true},
              {"preheader", &ChannelParts::preheader, false},
              {"body", &ChannelParts::body, true}};
    case Channel::kSms:
      return {{"text", &ChannelParts::body, true}};
    case Channel::kPush:
    case Channel::kInApp:
      return {{"title", &ChannelParts::title, false}, {"body", &ChannelParts::body, true}};
  }
  return {};
}

bool ValidVariantId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
      return false;
    }
  }
  return true;
}

// A short free-text tag (tone, length).
void ReadTag(const json::object& v, const char* key, const std::string& field, std::string& out,
             FieldErrors& errors) {
  const json::value* tag = v.if_contains(key);
  if (tag == nullptr || tag->is_null()) return;
  if (!tag->is_string() || tag->get_string().empty() || tag->get_string().size() > 32) {
    errors.Add(StrCat(field, ".", key), "must be a string of 1 to 32 characters");
    return;
  }
  out = std::string(tag->get_string());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::optional<ChannelParts> ReadChannel(const json::value& v, Channel channel,
                                        const std::string& field, FieldErrors& errors) {
  if (!v.is_object()) {
    errors.Add(field, "must be an object of template parts");
    return std::nullopt;
  }
  const std::vector<PartSpec> specs = PartsOf(channel);
  ChannelParts parts;
  const size_t before = errors.size();
  for (const auto& [key, value] : v.get_object()) {
    bool known = false;
    for (const PartSpec& s : specs) known = known || key == s.name;
    if (!known) errors.Add(StrCat(field, ".", View(key)), "is not a part of this channel");
  }
  for (const PartSpec& s : specs) {
    const std::string part_field = StrCat(field, ".", s.name);
    const json::value* text = v.get_object().if_contains(s.name);
    if (text == nullptr || text->is_null()) {
      if (s.required) errors.Add(part_field, "is required");
      continue;
    }
    if (!text->is_string() || text->get_string().empty()) {
      errors.Add(part_field, "must be a non-empty string");
      continue;
    }
    if (text->get_string().size() > kMaxTemplatePartBytes) {
      errors.Add(part_field, StrCat("is longer than ", kMaxTemplatePartBytes, " bytes"));
      continue;
    }
    CompileOptions options;
    options.escaping = channel == Channel::kEmail && std::string_view(s.name) == "body"
                           ? Escaping::kHtml
                           : Escaping::kNone;
    absl::StatusOr<CompiledTemplate> compiled =
        CompiledTemplate::Compile(View(text->get_string()), options);
    if (!compiled.ok()) {
      errors.Add(part_field, std::string(compiled.status().message()));
      continue;
    }
    parts.*(s.slot) = std::move(*compiled);
  }
  if (errors.size() != before) return std::nullopt;
  return parts;
}

}  // namespace

absl::StatusOr<NotificationTemplate> ParseNotificationTemplate(const json::value& doc,
                                                               std::string_view id) {
  FieldErrors errors;
  if (!doc.is_object()) return InvalidField("body", "must be a template object");
  if (json::serialize(doc).size() > kMaxTemplateDocumentBytes) {
    return InvalidField("body", StrCat("is larger than ", kMaxTemplateDocumentBytes, " bytes"));
  }
  const json::object& obj = doc.get_object();
  NotificationTemplate out;
  out.id = std::string(id);
  for (const auto& [key, value] : obj) {
    if (key != "locale" && key != "variants" && key != "name" && key != "description" &&
        key != "objective" && key != "conversion_event" &&
        key != "id" && key != "created_at" && key != "updated_at") {
      errors.Add(std::string(key), "is not a template field");
    }
  }
  if (const json::value* locale = obj.if_contains("locale"); locale && !locale->is_null()) {
    if (!locale->is_string() || locale->get_string().size() > 35) {
      errors.Add("locale", "must be a BCP 47 language tag such as \"de-DE\"");
    } else {
      out.locale = std::string(locale->get_string());
    }
  }
  if (const json::value* o = obj.if_contains("objective"); o && !o->is_null()) {
    absl::StatusOr<decide::Objective> objective =
        o->is_string() ? decide::ParseObjective(View(o->get_string()))
                       : absl::InvalidArgumentError("");
    if (!objective.ok()) {
      errors.Add("objective", "must be opens, clicks or conversion");
    } else {
      out.objective = *objective;
    }
  }
  const json::value* event = obj.if_contains("conversion_event");
  if (event != nullptr && !event->is_null()) {
    if (!event->is_string() || event->get_string().empty() || event->get_string().size() > 64) {
      errors.Add("conversion_event", "must be an event type of 1 to 64 characters");
    } else if (out.objective != decide::Objective::kConversion) {
      errors.Add("conversion_event", "is only used with \"objective\": \"conversion\"");
    } else {
      out.conversion_event = std::string(event->get_string());
    }
  } else if (out.objective == decide::Objective::kConversion) {
    errors.Add("conversion_event", "names the event type that counts as a conversion");
  }
  for (const char* text_field : {"name", "description"}) {
    const json::value* v = obj.if_contains(text_field);
    if (v != nullptr && !v->is_null() && (!v->is_string() || v->get_string().size() > 1024)) {
      errors.Add(text_field, "must be a string of at most 1024 bytes");
    }
  }
  const json::value* variants = obj.if_contains("variants");
  if (variants == nullptr || !variants->is_array() || variants->get_array().empty() ||
      variants->get_array().size() > kMaxTemplateVariants) {
    errors.Add("variants", StrCat("must be an array of 1 to ", kMaxTemplateVariants, " variants"));
    return errors.ToStatus("invalid template");
  }
  std::set<std::string> seen;
  const json::array& list = variants->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string field = StrCat("variants[", i, "]");
    if (!list[i].is_object()) {
      errors.Add(field, "must be a variant object");
      continue;
    }
    const json::object& v = list[i].get_object();
    TemplateVariant variant;
    const json::value* vid = v.if_contains("id");
    if (vid == nullptr || !vid->is_string() || !ValidVariantId(View(vid->get_string()))) {
      errors.Add(StrCat(field, ".id"), "must be 1 to 64 letters, digits, '_', '-' or '.'");
    } else if (!seen.insert(std::string(vid->get_string())).second) {
      errors.Add(StrCat(field, ".id"), "repeats another variant's id");
    } else {
      variant.id = std::string(vid->get_string());
    }
    ReadTag(v, "tone", field, variant.tone, errors);
    ReadTag(v, "length", field, variant.length, errors);
    bool any_channel = false;
    for (const auto& [key, value] : v) {
      if (key == "id" || key == "tone" || key == "length") continue;
      absl::StatusOr<Channel> channel = decide::ParseChannel(View(key));
      if (!channel.ok()) {
        errors.Add(StrCat(field, ".", View(key)),
                   "is not a variant field (id, tone, length, email, sms, push, in_app)");
        continue;
      }
      any_channel = true;
      variant.channels[static_cast<int>(*channel)] =
          ReadChannel(value, *channel, StrCat(field, ".", View(key)), errors);
    }
    if (!any_channel) {
      errors.Add(field, "needs at least one channel (email, sms, push, in_app)");
    }
    out.variants.push_back(std::move(variant));
  }
  if (!errors.empty()) return errors.ToStatus("invalid template");
  out.source = obj;
  return out;
}

absl::StatusOr<RenderedMessage> RenderVariant(const TemplateVariant& variant, Channel channel,
                                              const json::value& context,
                                              const RenderOptions& options,
                                              const ChannelLimits& limits) {
  const std::optional<ChannelParts>& parts = variant.channels[static_cast<int>(channel)];
  if (!parts) {
    return absl::InvalidArgumentError(
        StrCat("variant ", variant.id, " has no ", decide::ChannelName(channel), " part"));
  }
  RenderedMessage out;
  auto render = [&](const std::optional<CompiledTemplate>& t,
                    std::string& into) -> absl::Status {
    if (!t) return absl::OkStatus();
    absl::StatusOr<std::string> text = t->Render(context, options, &out.stats);
    if (!text.ok()) return text.status();
    into = std::move(*text);
    return absl::OkStatus();
  };
  if (absl::Status s = render(parts->title, out.parts.title); !s.ok()) return s;
  if (absl::Status s = render(parts->preheader, out.preheader); !s.ok()) return s;
  if (absl::Status s = render(parts->body, out.parts.body); !s.ok()) return s;
  out.violations = ValidateMessage(channel, out.parts, limits);
  for (const LimitViolation& v : out.violations) {
    if (v.severity == Severity::kError) return absl::FailedPreconditionError(v.message);
  }
  if (channel == Channel::kSms) {
    absl::StatusOr<SmsCount> count = CountSms(out.parts.body);
    if (count.ok()) out.sms = *count;
  }
  return out;
}

json::object RenderedMessageToJson(Channel channel, const RenderedMessage& m) {
  json::object out;
  switch (channel) {
    case Channel::kEmail:
      out["subject"] = m.parts.title;
      if (!m.preheader.empty()) out["preheader"] = m.preheader;
      out["body"] = m.parts.body;
      break;
    case Channel::kSms:
      out["text"] = m.parts.body;
      break;
    case Channel::kPush:
    case Channel::kInApp:
      if (!m.parts.title.empty()) out["title"] = m.parts.title;
      out["body"] = m.parts.body;
      break;
  }
  if (m.sms) {
    out["sms"] = {{"encoding", m.sms->encoding == SmsEncoding::kGsm7 ? "gsm7" : "ucs2"},
                  {"segments", m.sms->segments},
                  {"units", m.sms->units}};
  }
  json::array warnings;
  for (const LimitViolation& v : m.violations) warnings.push_back(json::string(v.message));
  if (!warnings.empty()) out["warnings"] = std::move(warnings);
  return out;
}

}  // namespace tailor::personalize
