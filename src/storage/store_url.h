// Opens a Store from a URL; the scheme names the backend:
//   sqlite:///absolute/path/tailor.db   (three slashes: empty host, absolute path)
//   sqlite://relative/path.db           (relative to the working directory)
//   postgres://user:password@host:5432/db?sslmode=require   (or postgresql://;
//       every libpq URI parameter works; pool_size=N sets StoreOptions::pool_size)
// Unknown schemes are InvalidArgument.
#ifndef TAILOR_STORAGE_STORE_URL_H_
#define TAILOR_STORAGE_STORE_URL_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/store.h"

namespace tailor::storage {

struct StoreOptions {
  // SQLite: "full" survives power loss; "normal" survives a process crash
  // (kill -9) but may lose the last commits on power loss.
  std::string synchronous = "full";
  // Pending write requests beyond this are refused with ResourceExhausted.
  size_t max_queued_writes = 20000;
  // PostgreSQL: most connections one process opens for reads (the writer
  // has one more).
  size_t pool_size = 16;
  // Change-log entries older than this are deleted by the writer, at most
  // once per trim interval. Readers must keep up within the retention.
  absl::Duration change_log_retention = absl::Hours(24);
  absl::Duration change_log_trim_interval = absl::Minutes(1);
};

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                                 const StoreOptions& options = {});

// `url` fit for logs: a password (user:password@ or password=...) becomes
// "***".
std::string RedactStoreUrl(std::string_view url);

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_STORE_URL_H_
