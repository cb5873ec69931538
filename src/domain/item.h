// Item: one piece of a tenant's catalogue (a product, article, movie...).
//
//   absl::StatusOr<Item> item = ParseItem(body, "sku-1");
#ifndef TAILOR_DOMAIN_ITEM_H_
#define TAILOR_DOMAIN_ITEM_H_

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tailor::domain {

struct Item {
  std::string id;
  std::string title;
  std::string text;
  std::vector<std::string> categories;
  std::vector<std::string> tags;
  boost::json::object attributes;
  std::string language;  // BCP 47; empty = detect later
  std::optional<absl::Time> published_at;
  std::optional<absl::Time> expires_at;
  bool available = true;
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();

  // Whether the item may be shown at `now`.
  bool ShowableAt(absl::Time now) const {
    return available && (!expires_at || *expires_at > now);
  }
};

// Validates a JSON object into an Item. `id` comes from the path for PUT; for
// batch upserts pass an empty id and the body's `item_id` is used.
absl::StatusOr<Item> ParseItem(const boost::json::value& body, std::string_view id);

boost::json::object ItemToJson(const Item& item);

}  // namespace tailor::domain

#endif  // TAILOR_DOMAIN_ITEM_H_
