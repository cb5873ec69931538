#include "storage/stored_doc.h"

#include <boost/json.hpp>

#include "common/strings.h"

namespace tailor::storage {
namespace {

template <typename T, typename ParseFn>
absl::StatusOr<T> Decode(std::string_view id, std::string_view doc, int64_t created_micros,
                         int64_t updated_micros, ParseFn parse) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(doc, ec);
  if (ec) return absl::DataLossError("stored document is not JSON");
  absl::StatusOr<T> out = parse(v, id);
  if (!out.ok()) {
    return absl::DataLossError(StrCat("stored document invalid: ", View(out.status().message())));
  }
  out->created_at = absl::FromUnixMicros(created_micros);
  out->updated_at = absl::FromUnixMicros(updated_micros);
  return out;
}

}  // namespace

absl::StatusOr<domain::User> DecodeStoredUser(std::string_view id, std::string_view doc,
                                              int64_t created_micros, int64_t updated_micros) {
  return Decode<domain::User>(id, doc, created_micros, updated_micros, domain::ParseUser);
}

absl::StatusOr<domain::Item> DecodeStoredItem(std::string_view id, std::string_view doc,
                                              int64_t created_micros, int64_t updated_micros) {
  return Decode<domain::Item>(id, doc, created_micros, updated_micros, domain::ParseItem);
}

void DecodeStoredContext(std::string_view json_text, domain::Event& event) {
  boost::system::error_code ec;
  boost::json::value ctx = boost::json::parse(json_text, ec);
  if (!ec && ctx.is_object()) event.context = std::move(ctx.get_object());
}

}  // namespace tailor::storage
