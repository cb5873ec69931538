#include "storage/store_url.h"

#include "common/strings.h"
#include "storage/sqlite/sqlite_store.h"

namespace tailor::storage {

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                                 const StoreOptions& options) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.substr(0, kSqlite.size()) == kSqlite) {
    std::string path(url.substr(kSqlite.size()));
    if (path.empty()) return absl::InvalidArgumentError("sqlite URL needs a path");
    auto store = SqliteStore::Open(path, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }
  return absl::InvalidArgumentError(
      StrCat("unsupported store URL \"", url, "\": expected sqlite:///path/to/file.db"));
}

}  // namespace tailor::storage
