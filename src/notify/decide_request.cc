#include "notify/decide_request.h"

#include <boost/json.hpp>

#include "common/field_errors.h"
#include "common/strings.h"
#include "domain/validation.h"

namespace tailor::notify {

namespace json = boost::json;

namespace {

constexpr size_t kMaxContextBytes = 16 * 1024;

// A client id (domain::ValidateId: 1..128 printable bytes).
bool ValidId(const json::value* v) {
  return v != nullptr && v->is_string() && domain::ValidateId(View(v->get_string())).ok();
}

}  // namespace

absl::StatusOr<DecideRequest> ParseDecideRequest(const json::value& body) {
  if (!body.is_object()) return InvalidField("body", "must be a decide request object");
  const json::object& obj = body.get_object();
  DecideRequest req;
  FieldErrors errors;
  static constexpr std::string_view kKnown[] = {"user_id", "template_id", "template", "channels",
                                                "window",  "category",    "segment",  "item_id",
                                                "context", "dry_run"};
  for (const auto& [key, value] : obj) {
    if (std::find(std::begin(kKnown), std::end(kKnown), View(key)) == std::end(kKnown)) {
      errors.Add(std::string(key), "is not a decide request field");
    }
  }
  if (!ValidId(obj.if_contains("user_id"))) {
    errors.Add("user_id", "is required: an id of 1 to 128 printable bytes");
  } else {
    req.user_id = std::string(obj.at("user_id").get_string());
  }
  const json::value* tid = obj.if_contains("template_id");
  const json::value* inline_doc = obj.if_contains("template");
  if ((tid == nullptr) == (inline_doc == nullptr)) {
    errors.Add("template_id", "give exactly one of template_id or an inline template");
  } else if (tid != nullptr) {
    if (!ValidId(tid)) {
      errors.Add("template_id", "must be an id of 1 to 128 printable bytes");
    } else {
      req.template_id = std::string(tid->get_string());
    }
  } else {
    absl::StatusOr<personalize::NotificationTemplate> t =
        personalize::ParseNotificationTemplate(*inline_doc, "inline");
    if (!t.ok()) {
      errors.AddAllWithPrefix("template", t.status());
    } else {
      req.inline_template =
          std::make_shared<const personalize::NotificationTemplate>(std::move(*t));
    }
  }
  if (const json::value* chs = obj.if_contains("channels")) {
    if (!chs->is_array() || chs->get_array().empty() || chs->get_array().size() > 4) {
      errors.Add("channels", "must be a non-empty array of email, sms, push, in_app");
    } else {
      for (size_t i = 0; i < chs->get_array().size(); ++i) {
        const json::value& c = chs->get_array()[i];
        absl::StatusOr<decide::Channel> ch = c.is_string()
                                                 ? decide::ParseChannel(View(c.get_string()))
                                                 : absl::InvalidArgumentError("");
        if (!ch.ok()) {
          errors.Add(StrCat("channels[", i, "]"), "must be email, sms, push or in_app");
        } else if (std::find(req.channels.begin(), req.channels.end(), *ch) ==
                   req.channels.end()) {
          req.channels.push_back(*ch);
        }
      }
    }
  } else {
    req.channels.assign(decide::kAllChannels.begin(), decide::kAllChannels.end());
  }
  if (const json::value* w = obj.if_contains("window")) {
    const json::object* win = w->if_object();
    if (win == nullptr) {
      errors.Add("window", "must be {\"start\": RFC 3339, \"end\": RFC 3339}");
    } else {
      for (const char* key : {"start", "end"}) {
        const json::value* t = win->if_contains(key);
        if (t == nullptr) continue;
        absl::StatusOr<absl::Time> at = t->is_string()
                                            ? domain::ParseRfc3339(View(t->get_string()))
                                            : absl::InvalidArgumentError("");
        if (!at.ok()) {
          errors.Add(StrCat("window.", key), "must be an RFC 3339 time");
        } else {
          (std::string_view(key) == "start" ? req.window_start : req.window_end) = *at;
        }
      }
      if (req.window_start && req.window_end) {
        if (*req.window_end <= *req.window_start) {
          errors.Add("window.end", "must be after window.start");
        } else if (*req.window_end - *req.window_start > kMaxDecideWindow) {
          errors.Add("window.end", "the window may span at most 31 days");
        }
      }
    }
  }
  if (const json::value* c = obj.if_contains("category")) {
    if (c->is_string() && c->get_string() == "marketing") {
      req.category = decide::MessageCategory::kMarketing;
    } else if (c->is_string() && c->get_string() == "transactional") {
      req.category = decide::MessageCategory::kTransactional;
    } else {
      errors.Add("category", "must be \"marketing\" or \"transactional\"");
    }
  }
  if (const json::value* s = obj.if_contains("segment")) {
    if (!ValidId(s) || s->get_string().size() > 64) {
      errors.Add("segment", "must be a name of 1 to 64 printable bytes");
    } else {
      req.segment = std::string(s->get_string());
    }
  }
  if (const json::value* item = obj.if_contains("item_id")) {
    if (!ValidId(item)) {
      errors.Add("item_id", "must be an id of 1 to 128 printable bytes");
    } else {
      req.item_id = std::string(item->get_string());
    }
  }
  if (const json::value* ctx = obj.if_contains("context")) {
    if (!ctx->is_object()) {
      errors.Add("context", "must be an object of template variables");
    } else if (json::serialize(*ctx).size() > kMaxContextBytes) {
      errors.Add("context", StrCat("is larger than ", kMaxContextBytes, " bytes"));
    } else if (ctx->get_object().contains("user") || ctx->get_object().contains("item")) {
      errors.Add("context", "may not replace \"user\" or \"item\"");
    } else {
      req.context = ctx->get_object();
    }
  }
  if (const json::value* d = obj.if_contains("dry_run")) {
    if (!d->is_bool()) {
      errors.Add("dry_run", "must be true or false");
    } else {
      req.dry_run = d->get_bool();
    }
  }
  if (!errors.empty()) return errors.ToStatus("invalid decide request");
  return req;
}

}  // namespace tailor::notify
