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

absl::Status Store::ForEachItem(TenantId tenant,
                                const std::function<void(const domain::Item&)>& fn) {
  std::string cursor;
  do {
    absl::StatusOr<Page<domain::Item>> page = ListItems(tenant, cursor, 1000);
    if (!page.ok()) return page.status();
    for (const domain::Item& item : page->rows) fn(item);
    cursor = std::move(page->next_cursor);
  } while (!cursor.empty());
  return absl::OkStatus();
}

void Store::SetCommitObserver(CommitObserver observer) {
  absl::MutexLock lock(&observer_mu_);
  observer_ = std::move(observer);
}

void Store::NotifyCommitted(std::vector<Change>& changes) {
  absl::MutexLock lock(&observer_mu_);
  if (observer_) observer_(changes);
}

}  // namespace tailor::storage
