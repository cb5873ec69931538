// Opens a Store from a URL:
//   sqlite:///absolute/path/tailor.db   (three slashes: empty host, absolute path)
//   sqlite://relative/path.db           (relative to the working directory)
// Unknown schemes are InvalidArgument.
#ifndef TAILOR_STORAGE_STORE_URL_H_
#define TAILOR_STORAGE_STORE_URL_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace tailor::storage {

struct StoreOptions {
  // SQLite: "full" survives power loss; "normal" survives a process crash
  // (kill -9) but may lose the last commits on power loss.
  std::string synchronous = "full";
  // Pending write requests beyond this are refused with ResourceExhausted.
  size_t max_queued_writes = 20000;
};

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view url,
                                                 const StoreOptions& options = {});

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_STORE_URL_H_
