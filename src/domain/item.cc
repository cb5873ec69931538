#include "domain/item.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/field_errors.h"
#include "domain/json_fields.h"
#include "domain/validation.h"

namespace tailor::domain {

namespace json = boost::json;

namespace {
constexpr absl::Time kMinTime = absl::UnixEpoch();
// Catalogue dates may lie in the future (scheduled publication, expiry).
const absl::Time kMaxTime = absl::FromCivil(absl::CivilSecond(2200, 1, 1), absl::UTCTimeZone());

json::array ToArray(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.push_back(json::value(s));
  return out;
}
}  // namespace

absl::StatusOr<Item> ParseItem(const json::value& body, std::string_view id) {
  FieldErrors errors;
  Item item;
  if (!body.is_object()) {
    errors.Add("", "body must be a JSON object");
    return errors.ToStatus("item must be a JSON object");
  }
  JsonFields f(body.get_object(), errors);
  f.RejectUnknown({"id", "item_id", "title", "text", "categories", "tags", "attributes", "language",
                   "published_at", "expires_at", "available", "created_at", "updated_at"});
  if (id.empty()) {
    if (auto body_id = f.String("item_id", {.required = true, .max_bytes = 1024})) {
      if (absl::Status s = ValidateId(*body_id); !s.ok()) {
        f.Error("item_id", std::string(s.message()));
      }
      item.id = *body_id;
    }
  } else {
    if (absl::Status s = ValidateId(id); !s.ok()) errors.Add("item_id", std::string(s.message()));
    item.id = std::string(id);
  }
  if (auto title = f.String("title", {.max_bytes = 1024, .single_line = true})) item.title = *title;
  if (auto text = f.String("text", {.max_bytes = 64 * 1024})) item.text = *text;
  if (auto cats = f.StringArray("categories", 100, 128)) item.categories = std::move(*cats);
  if (auto tags = f.StringArray("tags", 200, 128)) item.tags = std::move(*tags);
  if (const json::object* attrs = f.Attributes("attributes")) item.attributes = *attrs;
  if (auto lang = f.String("language", {.max_bytes = 35})) {
    if (absl::Status s = ValidateLocale(*lang); !s.ok()) {
      f.Error("language", std::string(s.message()));
    } else {
      item.language = *lang;
    }
  }
  item.published_at = f.Timestamp("published_at", kMinTime, kMaxTime);
  item.expires_at = f.Timestamp("expires_at", kMinTime, kMaxTime);
  if (auto available = f.Bool("available")) item.available = *available;
  if (json::serialize(item.attributes).size() > 64 * 1024) {
    f.Error("attributes", "must serialize to at most 64 KiB");
  }
  if (!errors.empty()) return errors.ToStatus("");
  return item;
}

json::object ItemToJson(const Item& item) {
  json::object out;
  out["item_id"] = item.id;
  out["title"] = item.title;
  if (!item.text.empty()) out["text"] = item.text;
  out["categories"] = ToArray(item.categories);
  out["tags"] = ToArray(item.tags);
  out["attributes"] = item.attributes;
  if (!item.language.empty()) out["language"] = item.language;
  if (item.published_at) out["published_at"] = FormatRfc3339(*item.published_at);
  if (item.expires_at) out["expires_at"] = FormatRfc3339(*item.expires_at);
  out["available"] = item.available;
  if (item.created_at != absl::InfinitePast()) out["created_at"] = FormatRfc3339(item.created_at);
  if (item.updated_at != absl::InfinitePast()) out["updated_at"] = FormatRfc3339(item.updated_at);
  return out;
}

}  // namespace tailor::domain
