#include "notify/tenant_notify.h"

#include <cmath>

#include <boost/json.hpp>

#include "common/strings.h"

namespace tailor::notify {

namespace json = boost::json;

json::value Round4(double x) {
  if (!std::isfinite(x)) return nullptr;
  return std::round(x * 10000.0) / 10000.0;
}

absl::StatusOr<json::object> ReadRecord(storage::Store& store, domain::TenantId tenant,
                                        std::string_view collection, std::string_view id,
                                        std::string_view what) {
  absl::StatusOr<storage::Record> r = store.GetRecord(tenant, collection, id);
  if (absl::IsNotFound(r.status())) return absl::NotFoundError(StrCat(what, " ", id, " does not exist"));
  if (!r.ok()) return r.status();
  boost::system::error_code ec;
  json::value doc = json::parse(r->doc, ec);
  if (ec || !doc.is_object()) return absl::DataLossError(StrCat("stored ", what, " ", id, " is not JSON"));
  return std::move(doc.get_object());
}

}  // namespace tailor::notify
