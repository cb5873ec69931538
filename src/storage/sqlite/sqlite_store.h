// SqliteStore: the embedded Store backend. One SQLite file in WAL mode; reads
// use a pool of connections (WAL lets them run beside the writer); all writes
// go through one writer thread that groups the requests waiting in its queue
// into one transaction (group commit), so many concurrent small writes share
// one fsync. Each request is applied inside its own savepoint, so one failing
// request does not undo its neighbours.
//
//   auto store = *SqliteStore::Open("/var/lib/tailor/tailor.db", {});
#ifndef TAILOR_STORAGE_SQLITE_SQLITE_STORE_H_
#define TAILOR_STORAGE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "storage/store_url.h"
#include "storage/write_queue.h"

namespace tailor {
class Histogram;
}

namespace tailor::storage {

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` and brings its schema up to date.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           const StoreOptions& options);
  // Applies every write already queued, then stops the writer.
  ~SqliteStore() override;

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
  // One queued request: `apply` runs inside the group transaction.
  struct Pending {
    // Fills `change` (position > 0) when the request logged one.
    std::function<absl::Status(sqlite::Connection&, WriteResult&, Change& change)> apply;
    WriteCallback done;
    size_t weight = 1;  // rows it will write, to bound a group's size
  };
  // A pooled read connection, returned to the pool when destroyed.
  class Reader {
   public:
    Reader(SqliteStore* store, std::unique_ptr<sqlite::Connection> conn)
        : store_(store), conn_(std::move(conn)) {}
    Reader(Reader&&) = default;
    ~Reader();
    sqlite::Connection* operator->() { return conn_.get(); }
    sqlite::Connection& operator*() { return *conn_; }

   private:
    SqliteStore* store_;
    std::unique_ptr<sqlite::Connection> conn_;
  };

  SqliteStore(std::string path, StoreOptions options);
  absl::Status Migrate();
  // Runs `fn` on the writer connection in its own transaction and waits.
  absl::Status RunAdmin(std::function<absl::Status(sqlite::Connection&)> fn);
  void WriterLoop();
  // Copies committed WAL pages into the database file in the background, so
  // the writer never stalls on a checkpoint.
  void CheckpointLoop();
  void CommitGroup(std::vector<Pending>& group);
  absl::StatusOr<Reader> AcquireReader();

  const std::string path_;
  const StoreOptions options_;
  std::unique_ptr<sqlite::Connection> writer_conn_;  // used by the writer thread only
  absl::Time last_trim_ = absl::InfinitePast();      // writer thread only
  Histogram* commit_latency_;
  Histogram* group_size_;

  WriteQueue<Pending> queue_{options_.max_queued_writes};
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;  // tells the checkpointer to stop
  std::thread writer_;
  std::unique_ptr<sqlite::Connection> checkpoint_conn_;  // used by checkpointer_ only
  std::thread checkpointer_;

  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<sqlite::Connection>> readers_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_SQLITE_SQLITE_STORE_H_
