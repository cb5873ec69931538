#include "storage/store_url.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/strings.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace tailor::storage {
namespace {

using Opener = absl::StatusOr<std::unique_ptr<Store>> (*)(std::string_view url,
                                                          StoreOptions options);

absl::StatusOr<std::unique_ptr<Store>> OpenSqlite(std::string_view url, StoreOptions options) {
  std::string path(url.substr(url.find("://") + 3));
  if (path.empty()) return absl::InvalidArgumentError("sqlite URL needs a path");
  auto store = SqliteStore::Open(path, options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

// Takes Tailor's own options out of the query string; the rest is libpq's.
absl::StatusOr<std::unique_ptr<Store>> OpenPostgres(std::string_view url, StoreOptions options) {
  std::string base(url);
  const size_t q = base.find('?');
  if (q != std::string::npos) {
    const std::string query = base.substr(q + 1);
    std::vector<std::string> kept;
    for (absl::string_view param : absl::StrSplit(query, '&', absl::SkipEmpty())) {
      if (absl::ConsumePrefix(&param, "pool_size=")) {
        size_t n = 0;
        if (!absl::SimpleAtoi(param, &n) || n == 0 || n > 1000) {
          return absl::InvalidArgumentError("pool_size must be 1..1000");
        }
        options.pool_size = n;
      } else {
        kept.emplace_back(param);
      }
    }
    base = base.substr(0, q);
    if (!kept.empty()) base += "?" + absl::StrJoin(kept, "&");
  }
  auto store = PostgresStore::Open(base, options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

struct Backend {
  std::string_view scheme;
  Opener open;
};
constexpr Backend kBackends[] = {
    {"sqlite", OpenSqlite},
    {"postgres", OpenPostgres},
    {"postgresql", OpenPostgres},
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                                 const StoreOptions& options) {
  const size_t colon = url.find("://");
  if (colon != std::string_view::npos) {
    for (const Backend& b : kBackends) {
      if (url.substr(0, colon) == b.scheme) return b.open(url, options);
    }
  }
  // The URL itself may carry a password: name only its scheme.
  return absl::InvalidArgumentError(
      StrCat("unsupported store URL scheme \"", url.substr(0, std::min(colon, url.size())),
             "\": expected sqlite:///path/to/file.db or postgres://user@host:port/db"));
}

std::string RedactStoreUrl(std::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  const size_t at = out.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    const size_t colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const size_t begin = p + 9;
    const size_t end = std::min(out.find('&', begin), out.size());
    out.replace(begin, end - begin, "***");
  }
  return out;
}

}  // namespace tailor::storage
