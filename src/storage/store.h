// Store: the source of truth for tenants, keys, users, items and events.
// Backends are chosen by URL (see OpenStore in store_url.h); every backend
// passes the same conformance suite (store_conformance_test.h).
//
//   std::unique_ptr<Store> store = *OpenStore("sqlite:///var/tailor.db");
//   Tenant t = *store->EnsureTenant("default");
//   WriteBatch batch; batch.AppendEvents(events);
//   absl::StatusOr<WriteResult> r = store->WriteSync(t.id, std::move(batch));
//
// Thread-safety: every method may be called from any thread concurrently.
// Tenancy: every data method takes a TenantId and never reads or writes rows
// of another tenant.
#ifndef TAILOR_STORAGE_STORE_H_
#define TAILOR_STORAGE_STORE_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "domain/event.h"
#include "domain/item.h"
#include "domain/tenant.h"
#include "domain/user.h"
#include "storage/write_batch.h"

namespace tailor::storage {

using domain::TenantId;

// One page of a listing. `next_cursor` is opaque and empty on the last page.
template <typename T>
struct Page {
  std::vector<T> rows;
  std::string next_cursor;
  // The cursor of the page that starts right after `row` (one of rows), so
  // a caller can answer fewer rows (e.g. to bound an answer's size) and
  // still let clients resume. Set by every backend.
  std::function<std::string(const T& row)> cursor_after;
};

// A stored record of a named collection (see WriteBatch::PutRecord).
struct Record {
  std::string id;
  std::string doc;  // JSON text as written
  absl::Time updated_at;
  // When the record was first written; a replacing PutRecord keeps it.
  absl::Time created_at = absl::InfinitePast();
  // Issued by the store: 1 when created, +1 on every replacement. The
  // compare-and-set writes (WriteBatch::PutRecordIf) check it.
  int64_t version = 0;
};

// One committed write as the change log keeps it: what it changed, in batch
// order. Events are only those newly stored (retried event_ids are left out)
// and carry their `seq`; record puts carry the version they produced.
struct Change {
  int64_t position = 0;  // commit order across every writer of the store
  TenantId tenant = 0;
  absl::Time committed_at;
  WriteBatch batch;
};

using WriteCallback = std::function<void(absl::StatusOr<WriteResult>)>;

class Store {
 public:
  virtual ~Store() = default;

  // Applies `batch` atomically: either every op is applied or none. `done` is
  // called exactly once, after the batch is durable (committed) or has failed,
  // on a thread owned by the store; it must not block. Writes of concurrent
  // callers may share one transaction (group commit); they are applied in
  // submission order. Fails with ResourceExhausted without applying anything
  // when the store's write queue is full (the caller should ask the client to
  // retry later).
  virtual void Write(TenantId tenant, WriteBatch batch, WriteCallback done) = 0;
  // Write() and wait for it.
  absl::StatusOr<WriteResult> WriteSync(TenantId tenant, WriteBatch batch);

  // NotFound when the user/item does not exist in this tenant.
  virtual absl::StatusOr<domain::User> GetUser(TenantId tenant, std::string_view user_id) = 0;
  virtual absl::StatusOr<domain::Item> GetItem(TenantId tenant, std::string_view item_id) = 0;
  // Ordered by id. `cursor` is empty for the first page or a previous
  // next_cursor; InvalidArgument for a cursor this store did not make.
  // `limit` is clamped to [1, 1000].
  virtual absl::StatusOr<Page<domain::User>> ListUsers(TenantId tenant, std::string_view cursor,
                                                       int limit) = 0;
  virtual absl::StatusOr<Page<domain::Item>> ListItems(TenantId tenant, std::string_view cursor,
                                                       int limit) = 0;
  // A user's events, newest first (by timestamp, then by arrival).
  virtual absl::StatusOr<Page<domain::Event>> ListUserEvents(TenantId tenant,
                                                             std::string_view user_id,
                                                             std::string_view cursor,
                                                             int limit) = 0;
  // Calls `fn` for every item of the tenant, by id, page after page (a
  // helper over ListItems for backends and callers alike).
  absl::Status ForEachItem(TenantId tenant, const std::function<void(const domain::Item&)>& fn);
  // Calls `fn` for every event of the tenant in arrival order until it returns
  // false. Reads a consistent snapshot; concurrent writes are not seen.
  absl::Status ScanEvents(TenantId tenant, const std::function<bool(const domain::Event&)>& fn) {
    return ScanEventsAt(tenant, fn).status();
  }
  // ScanEvents, also returning the change-log position of the snapshot it
  // read: the events of every change up to it were scanned, none after it.
  virtual absl::StatusOr<int64_t> ScanEventsAt(
      TenantId tenant, const std::function<bool(const domain::Event&)>& fn) = 0;
  virtual absl::StatusOr<int64_t> CountEvents(TenantId tenant) = 0;

  // Records of one collection (templates, decisions, campaigns, webhooks...).
  // NotFound when absent. Listing is by id, with the same cursor rules as
  // ListUsers; scanning visits every record by id until `fn` returns false.
  virtual absl::StatusOr<Record> GetRecord(TenantId tenant, std::string_view collection,
                                           std::string_view id) = 0;
  virtual absl::StatusOr<Page<Record>> ListRecords(TenantId tenant, std::string_view collection,
                                                   std::string_view cursor, int limit) = 0;
  virtual absl::Status ScanRecords(TenantId tenant, std::string_view collection,
                                   const std::function<bool(const Record&)>& fn) = 0;

  // Tenants and API keys (admin operations, not on hot paths).
  // Returns the tenant named `name`, creating it when absent.
  virtual absl::StatusOr<domain::Tenant> EnsureTenant(std::string_view name) = 0;
  virtual absl::StatusOr<domain::Tenant> GetTenant(TenantId id) = 0;
  virtual absl::StatusOr<std::vector<domain::Tenant>> ListTenants() = 0;
  // AlreadyExists when a key with the same hash exists.
  virtual absl::Status PutApiKey(const domain::ApiKey& key) = 0;
  // NotFound when no key has this hash.
  virtual absl::StatusOr<domain::ApiKey> FindApiKey(std::string_view key_hash) = 0;
  // Every key of `tenant` (revoked ones too: revocations are records), by
  // creation time.
  virtual absl::StatusOr<std::vector<domain::ApiKey>> ListApiKeys(TenantId tenant) = 0;
  virtual absl::StatusOr<int64_t> CountApiKeys() = 0;

  // Blobs: large opaque values (trained models) keyed by (tenant, key),
  // durable when the call returns and kept outside the change log: a record
  // that names the blob, written after it, is what other nodes see (see
  // serving::ModelRegistry). PutBlob replaces an existing key; GetBlob
  // answers NotFound when absent; DeleteBlob of an absent key is OK.
  virtual absl::Status PutBlob(TenantId tenant, std::string_view key, std::string_view data) = 0;
  virtual absl::StatusOr<std::string> GetBlob(TenantId tenant, std::string_view key) = 0;
  virtual absl::Status DeleteBlob(TenantId tenant, std::string_view key) = 0;

  // The change log: every committed write that changed something, in commit
  // order (positions increase with commit order across every process that
  // writes to this store; they may skip numbers). Returns at most `limit`
  // changes with position > `after`, oldest first.
  virtual absl::StatusOr<std::vector<Change>> ReadChanges(int64_t after, int limit) = 0;
  // The newest position in the change log (0 when empty).
  virtual absl::StatusOr<int64_t> LastChangePosition() = 0;

  // OK when the store can serve reads and writes.
  virtual absl::Status Ping() = 0;

  // `observer` (or nobody, when empty) is handed the changes of every commit
  // that logged some, in position order, on the store's writer thread: it
  // must only take them and return (see ChangeFeed). Saves this process
  // reading back from the log what it just wrote.
  using CommitObserver = std::function<void(std::vector<Change>& changes)>;
  void SetCommitObserver(CommitObserver observer);

 protected:
  // Backends call this after each commit with the changes it logged.
  void NotifyCommitted(std::vector<Change>& changes);

 private:
  absl::Mutex observer_mu_;
  CommitObserver observer_ ABSL_GUARDED_BY(observer_mu_);
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_STORE_H_
