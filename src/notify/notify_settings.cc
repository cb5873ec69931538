#include "notify/notify_settings.h"

#include <cmath>
#include <cstdio>

#include <boost/json.hpp>

#include "common/field_errors.h"
#include "common/strings.h"
#include "models/decide/local_time.h"

namespace tailor::notify {

namespace json = boost::json;

absl::StatusOr<int> ParseMinuteOfDay(const json::value& v) {
  if (!v.is_string()) return absl::InvalidArgumentError("must be \"HH:MM\"");
  const std::string_view s = View(v.get_string());
  int h = 0, m = 0;
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1])) ||
      !std::isdigit(static_cast<unsigned char>(s[3])) ||
      !std::isdigit(static_cast<unsigned char>(s[4]))) {
    return absl::InvalidArgumentError("must be \"HH:MM\"");
  }
  h = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return absl::InvalidArgumentError("must be a time from 00:00 to 23:59");
  return h * 60 + m;
}

std::string FormatMinuteOfDay(int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minute / 60) % 24, minute % 60);
  return buf;
}

absl::StatusOr<decide::QuietHours> ParseQuietHours(const json::value& v, const std::string& field) {
  if (!v.is_object()) return InvalidField(field, "must be {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}");
  FieldErrors errors;
  decide::QuietHours q;
  for (const char* key : {"start", "end"}) {
    const json::value* part = v.get_object().if_contains(key);
    absl::StatusOr<int> minute = part ? ParseMinuteOfDay(*part)
                                      : absl::InvalidArgumentError("is required (\"HH:MM\")");
    if (!minute.ok()) {
      errors.Add(StrCat(field, ".", key), std::string(minute.status().message()));
    } else {
      (std::string_view(key) == "start" ? q.start_minute : q.end_minute) = *minute;
    }
  }
  if (!errors.empty()) return errors.ToStatus("invalid quiet hours");
  return q;
}

absl::StatusOr<NotifySettings> ParseNotifySettings(const json::value& doc) {
  if (!doc.is_object()) return InvalidField("body", "must be a settings object");
  const json::object& obj = doc.get_object();
  NotifySettings out;
  FieldErrors errors;
  for (const auto& [key, value] : obj) {
    static constexpr std::string_view kKnown[] = {
        "quiet_hours", "frequency_caps", "count_transactional", "quality_threshold",
        "exploration", "fallback", "default_time_zone", "send_time_prior_strength"};
    if (std::find(std::begin(kKnown), std::end(kKnown), View(key)) == std::end(kKnown)) {
      errors.Add(std::string(key), "is not a notification setting");
    }
  }
  if (const json::value* q = obj.if_contains("quiet_hours")) {
    if (q->is_null()) {
      out.quiet_hours.reset();
    } else {
      absl::StatusOr<decide::QuietHours> parsed = ParseQuietHours(*q, "quiet_hours");
      if (!parsed.ok()) {
        errors.AddAllWithPrefix("", parsed.status());
      } else {
        out.quiet_hours = *parsed;
      }
    }
  }
  if (const json::value* caps = obj.if_contains("frequency_caps")) {
    if (!caps->is_array() || caps->get_array().size() > 32) {
      errors.Add("frequency_caps", "must be an array of at most 32 rules");
    } else {
      out.caps.rules.clear();
      const json::array& rules = caps->get_array();
      for (size_t i = 0; i < rules.size(); ++i) {
        const std::string field = StrCat("frequency_caps[", i, "]");
        const json::object* r = rules[i].if_object();
        if (r == nullptr) {
          errors.Add(field, "must be {\"channel\", \"window_hours\", \"max\"}");
          continue;
        }
        decide::CapRule rule;
        const json::value* ch = r->if_contains("channel");
        absl::StatusOr<decide::Channel> channel =
            ch && ch->is_string() ? decide::ParseChannel(View(ch->get_string()))
                                  : absl::InvalidArgumentError("");
        if (!channel.ok()) {
          errors.Add(StrCat(field, ".channel"), "must be email, sms, push or in_app");
        } else {
          rule.channel = *channel;
        }
        const json::value* hours = r->if_contains("window_hours");
        if (hours == nullptr || !hours->is_number() || hours->to_number<double>() < 1 ||
            hours->to_number<double>() > 24 * 90) {
          errors.Add(StrCat(field, ".window_hours"), "must be a number of hours from 1 to 2160");
        } else {
          rule.window = absl::Hours(hours->to_number<double>());
        }
        const json::value* max = r->if_contains("max");
        if (max == nullptr || !max->is_int64() || max->get_int64() < 0 ||
            max->get_int64() > 10000) {
          errors.Add(StrCat(field, ".max"), "must be an integer from 0 to 10000");
        } else {
          rule.max_sends = static_cast<int>(max->get_int64());
        }
        out.caps.rules.push_back(rule);
      }
    }
  }
  if (const json::value* v = obj.if_contains("count_transactional")) {
    if (!v->is_bool()) {
      errors.Add("count_transactional", "must be true or false");
    } else {
      out.caps.count_transactional = v->get_bool();
    }
  }
  if (const json::value* v = obj.if_contains("quality_threshold")) {
    if (!v->is_number() || v->to_number<double>() < 0 || v->to_number<double>() > 1) {
      errors.Add("quality_threshold", "must be a number from 0 to 1");
    } else {
      out.quality_threshold = v->to_number<double>();
    }
  }
  if (const json::value* v = obj.if_contains("exploration")) {
    const json::object* e = v->if_object();
    if (e == nullptr) {
      errors.Add("exploration", "must be an object {\"share\": 0.1, \"new_below_sends\": 20}");
    } else {
      if (const json::value* share = e->if_contains("share")) {
        if (!share->is_number() || share->to_number<double>() < 0 || share->to_number<double>() > 1) {
          errors.Add("exploration.share", "must be a number from 0 to 1");
        } else {
          out.exploration.share = share->to_number<double>();
        }
      }
      if (const json::value* n = e->if_contains("new_below_sends")) {
        if (!n->is_int64() || n->get_int64() < 0 || n->get_int64() > 1000000) {
          errors.Add("exploration.new_below_sends", "must be an integer from 0 to 1000000");
        } else {
          out.exploration.new_below_sends = n->get_int64();
        }
      }
    }
  }
  if (const json::value* v = obj.if_contains("send_time_prior_strength")) {
    if (!v->is_number() || v->to_number<double>() < 0 || v->to_number<double>() > 1e6) {
      errors.Add("send_time_prior_strength", "must be a number from 0 to 1000000");
    } else {
      out.send_time_prior_strength = v->to_number<double>();
    }
  }
  if (const json::value* v = obj.if_contains("default_time_zone")) {
    if (!v->is_string() || !decide::LoadZone(View(v->get_string())).ok()) {
      errors.Add("default_time_zone", "must be an IANA time zone such as \"Europe/Berlin\"");
    } else {
      out.default_time_zone = std::string(v->get_string());
    }
  }
  if (const json::value* v = obj.if_contains("fallback"); v && !v->is_null()) {
    const json::object* f = v->if_object();
    FallbackSpec spec;
    auto text = [&](const char* key, std::string& into) {
      const json::value* t = f ? f->if_contains(key) : nullptr;
      if (t == nullptr || !t->is_string() || t->get_string().empty() ||
          t->get_string().size() > 128) {
        errors.Add(StrCat("fallback.", key), "must be a non-empty id");
      } else {
        into = std::string(t->get_string());
      }
    };
    text("template_id", spec.template_id);
    text("variant_id", spec.variant_id);
    const json::value* ch = f ? f->if_contains("channel") : nullptr;
    absl::StatusOr<decide::Channel> channel =
        ch && ch->is_string() ? decide::ParseChannel(View(ch->get_string()))
                              : absl::InvalidArgumentError("");
    if (!channel.ok()) {
      errors.Add("fallback.channel", "must be email, sms, push or in_app");
    } else {
      spec.channel = *channel;
    }
    out.fallback = spec;
  }
  if (!errors.empty()) return errors.ToStatus("invalid notification settings");
  return out;
}

json::object NotifySettingsToJson(const NotifySettings& s) {
  json::object out;
  if (s.quiet_hours) {
    out["quiet_hours"] = {{"start", FormatMinuteOfDay(s.quiet_hours->start_minute)},
                          {"end", FormatMinuteOfDay(s.quiet_hours->end_minute)}};
  } else {
    out["quiet_hours"] = nullptr;
  }
  json::array caps;
  for (const decide::CapRule& r : s.caps.rules) {
    caps.push_back({{"channel", decide::ChannelName(r.channel)},
                    {"window_hours", absl::ToDoubleHours(r.window)},
                    {"max", r.max_sends}});
  }
  out["frequency_caps"] = std::move(caps);
  out["count_transactional"] = s.caps.count_transactional;
  out["quality_threshold"] = s.quality_threshold;
  out["exploration"] = {{"share", s.exploration.share},
                        {"new_below_sends", s.exploration.new_below_sends}};
  if (s.fallback) {
    out["fallback"] = {{"template_id", s.fallback->template_id},
                       {"variant_id", s.fallback->variant_id},
                       {"channel", decide::ChannelName(s.fallback->channel)}};
  } else {
    out["fallback"] = nullptr;
  }
  out["default_time_zone"] = s.default_time_zone;
  out["send_time_prior_strength"] = s.send_time_prior_strength;
  return out;
}

}  // namespace tailor::notify
