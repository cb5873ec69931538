#include "storage/store.h"

#include <future>

namespace tailor::storage {

absl::StatusOr<WriteResult> Store::WriteSync(TenantId tenant, WriteBatch batch) {
  std::promise<absl::StatusOr<WriteResult>> promise;
  auto future = promise.get_future();
  Write(tenant, std::move(batch),
        [&promise](absl::StatusOr<WriteResult> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace tailor::storage
