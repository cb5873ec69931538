// Flags shared by the commands that open a store: --data-dir, --store, --sync.
#ifndef TAILOR_APP_COMMON_FLAGS_H_
#define TAILOR_APP_COMMON_FLAGS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace CLI {
class App;
}

namespace tailor::app {

struct StoreFlags {
  std::string data_dir = "var";
  std::string store_url;  // default: sqlite://<data_dir>/tailor.db
  std::string sync = "full";
  std::string log_level = "info";
  std::string Url() const;
};

void AddStoreFlags(CLI::App* cmd, StoreFlags& flags);
// Creates the data directory if needed, sets up logging (to stderr), opens the store.
absl::StatusOr<std::unique_ptr<storage::Store>> OpenStoreFromFlags(const StoreFlags& flags);

// Opens the store and the named tenant (creating it), or prints why not.
struct OpenedTenant {
  std::unique_ptr<storage::Store> store;
  domain::TenantId tenant = 0;
};
std::optional<OpenedTenant> OpenTenant(const StoreFlags& flags, const std::string& name);

}  // namespace tailor::app

#endif  // TAILOR_APP_COMMON_FLAGS_H_
