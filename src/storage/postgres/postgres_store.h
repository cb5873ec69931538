// PostgresStore: the shared Store backend for several Tailor nodes. Reads use
// a bounded pool of libpq connections; writes go through one writer thread per
// process that groups the requests waiting in its queue into one transaction
// (group commit, each request in its own savepoint so one failure does not
// undo its neighbours). Event appends are pipelined. A write is answered only
// after COMMIT returned, i.e. after the server made it durable (with the
// server's default synchronous_commit = on).
//
//   auto store = *PostgresStore::Open("postgres://tailor@127.0.0.1:5432/tailor", {});
//
// Several processes may open the same database: the schema is migrated under
// an advisory lock, tenants and keys are created idempotently.
#ifndef TAILOR_STORAGE_POSTGRES_POSTGRES_STORE_H_
#define TAILOR_STORAGE_POSTGRES_POSTGRES_STORE_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/postgres/connection.h"
#include "storage/store.h"
#include "storage/store_url.h"
#include "storage/write_queue.h"

namespace tailor::storage {

class PostgresStore final : public Store {
 public:
  // `conninfo`: a libpq connection string or postgres:// URI. Connects,
  // brings the schema up to date and starts the writer.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(const std::string& conninfo,
                                                             const StoreOptions& options);
  // Applies every write already queued, then stops the writer.
  ~PostgresStore() override;

  void Write(TenantId tenant, WriteBatch batch, WriteCallback done) override;
  absl::StatusOr<domain::User> GetUser(TenantId tenant, std::string_view user_id) override;
  absl::StatusOr<domain::Item> GetItem(TenantId tenant, std::string_view item_id) override;
  absl::StatusOr<Page<domain::User>> ListUsers(TenantId tenant, std::string_view cursor,
                                               int limit) override;
  absl::StatusOr<Page<domain::Item>> ListItems(TenantId tenant, std::string_view cursor,
                                               int limit) override;
  absl::StatusOr<Page<domain::Event>> ListUserEvents(TenantId tenant, std::string_view user_id,
                                                     std::string_view cursor, int limit) override;
  absl::StatusOr<int64_t> ScanEventsAt(
      TenantId tenant, const std::function<bool(const domain::Event&)>& fn) override;
  absl::StatusOr<int64_t> CountEvents(TenantId tenant) override;
  absl::StatusOr<Record> GetRecord(TenantId tenant, std::string_view collection,
                                   std::string_view id) override;
  absl::StatusOr<Page<Record>> ListRecords(TenantId tenant, std::string_view collection,
                                           std::string_view cursor, int limit) override;
  absl::Status ScanRecords(TenantId tenant, std::string_view collection,
                           const std::function<bool(const Record&)>& fn) override;
  absl::StatusOr<domain::Tenant> EnsureTenant(std::string_view name) override;
  absl::StatusOr<domain::Tenant> GetTenant(TenantId id) override;
  absl::StatusOr<std::vector<domain::Tenant>> ListTenants() override;
  absl::Status PutApiKey(const domain::ApiKey& key) override;
  absl::StatusOr<domain::ApiKey> FindApiKey(std::string_view key_hash) override;
  absl::StatusOr<std::vector<domain::ApiKey>> ListApiKeys(TenantId tenant) override;
  absl::StatusOr<int64_t> CountApiKeys() override;
  absl::Status PutBlob(TenantId tenant, std::string_view key, std::string_view data) override;
  absl::StatusOr<std::string> GetBlob(TenantId tenant, std::string_view key) override;
  absl::Status DeleteBlob(TenantId tenant, std::string_view key) override;
  absl::StatusOr<std::vector<Change>> ReadChanges(int64_t after, int limit) override;
  absl::StatusOr<int64_t> LastChangePosition() override;
  absl::Status Ping() override;

 private:
  struct Pending {
    std::shared_ptr<const WriteBatch> batch;
    TenantId tenant;
    WriteCallback done;
    size_t weight = 1;
  };
  // A pooled connection, returned to the pool when destroyed (or dropped
  // when it is broken or was left inside a transaction).
  class Lease {
   public:
    Lease(PostgresStore* store, std::unique_ptr<pg::Connection> conn)
        : store_(store), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease();
    pg::Connection* operator->() { return conn_.get(); }
    pg::Connection& operator*() { return *conn_; }

   private:
    PostgresStore* store_;
    std::unique_ptr<pg::Connection> conn_;
  };

  PostgresStore(std::string conninfo, StoreOptions options);
  absl::StatusOr<Lease> Acquire();
  void WriterLoop();
  void CommitGroup(std::vector<Pending>& group);
  // Reconnects the writer's connection when it broke (server restart).
  absl::Status EnsureWriter();

  const std::string conninfo_;
  const StoreOptions options_;
  std::unique_ptr<pg::Connection> writer_conn_;  // used by the writer thread only
  absl::Time last_trim_ = absl::InfinitePast();  // writer thread only

  WriteQueue<Pending> queue_{options_.max_queued_writes};
  std::thread writer_;

  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<pg::Connection>> idle_ ABSL_GUARDED_BY(pool_mu_);
  size_t open_ ABSL_GUARDED_BY(pool_mu_) = 0;  // idle + leased
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_POSTGRES_POSTGRES_STORE_H_
