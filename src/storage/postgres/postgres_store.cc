#include "storage/postgres/postgres_store.h"

#include <cstdio>
#include <future>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "common/strings.h"
#include "spdlog/spdlog.h"
#include "storage/change_codec.h"
#include "storage/cursor.h"
#include "storage/postgres/schema.h"
#include "storage/postgres/write_ops.h"
#include "storage/stored_doc.h"

namespace tailor::storage {

using pg::Connection;
using pg::Params;
using pg::Result;

namespace {

constexpr int kScanBatch = 5000;

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

constexpr char kEventColumns[] = "seq, event_id, user_id, item_id, type, value, ts, text, context";

domain::Event RowToEvent(const Result& r, int row) {
  domain::Event e;
  e.seq = r.Int(row, 0);
  e.event_id = std::string(r.Text(row, 1));
  e.user_id = std::string(r.Text(row, 2));
  e.item_id = std::string(r.Text(row, 3));
  e.type = std::string(r.Text(row, 4));
  if (!r.IsNull(row, 5)) e.value = r.Double(row, 5);
  e.timestamp = absl::FromUnixMicros(r.Int(row, 6));
  e.text = std::string(r.Text(row, 7));
  if (!r.IsNull(row, 8)) DecodeStoredContext(r.Text(row, 8), e);
  return e;
}

// Columns: record_id, doc, updated_at, created_at, version.
Record RowToRecord(const Result& r, int row) {
  return Record{std::string(r.Text(row, 0)), std::string(r.Text(row, 1)),
                absl::FromUnixMicros(r.Int(row, 2)), absl::FromUnixMicros(r.Int(row, 3)),
                r.Int(row, 4)};
}

}  // namespace

PostgresStore::PostgresStore(std::string conninfo, StoreOptions options)
    : conninfo_(std::move(conninfo)), options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& conninfo,
                                                                   const StoreOptions& options) {
  std::unique_ptr<PostgresStore> store(new PostgresStore(conninfo, options));
  auto conn = Connection::Open(conninfo);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = pg::MigrateSchema(**conn); !s.ok()) return s;
  store->writer_conn_ = std::move(*conn);
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  return store;
}

PostgresStore::~PostgresStore() {
  queue_.Close();
  if (writer_.joinable()) writer_.join();
}

void PostgresStore::Write(TenantId tenant, WriteBatch batch, WriteCallback done) {
  const size_t weight = batch.event_count() + batch.ops().size();
  queue_.Push(Pending{std::make_shared<const WriteBatch>(std::move(batch)), tenant, std::move(done),
                      weight});
}

void PostgresStore::WriterLoop() {
  std::vector<Pending> group;
  while (queue_.PopGroup(group)) {
    CommitGroup(group);
    group.clear();
  }
}

absl::Status PostgresStore::EnsureWriter() {
  if (writer_conn_ != nullptr && writer_conn_->Reusable()) return absl::OkStatus();
  auto conn = Connection::Open(conninfo_);
  if (!conn.ok()) return conn.status();
  writer_conn_ = std::move(*conn);
  return absl::OkStatus();
}

void PostgresStore::CommitGroup(std::vector<Pending>& group) {
  std::vector<absl::StatusOr<WriteResult>> results;
  results.reserve(group.size());
  absl::Status txn = EnsureWriter();
  if (txn.ok()) txn = writer_conn_->Exec("BEGIN");
  if (!txn.ok() && PQstatus(writer_conn_->raw()) == CONNECTION_BAD) {
    // The server closed the connection (restart, failover, idle timeout):
    // nothing of this group was sent yet, so reconnect and try once more.
    txn = EnsureWriter();
    if (txn.ok()) txn = writer_conn_->Exec("BEGIN");
  }
  // Every writer of the database holds the change-log lock until it commits,
  // so change positions are issued in commit order across nodes.
  if (txn.ok())
    txn = writer_conn_->Exec(StrCat("SELECT pg_advisory_xact_lock(", pg::kChangeLogLock, ")"));
  std::vector<Change> changes;
  if (txn.ok()) {
    Connection& c = *writer_conn_;
    for (Pending& p : group) {
      WriteResult r;
      Change change;
      absl::Status s = c.Exec("SAVEPOINT w");
      if (s.ok()) s = pg::ApplyBatch(c, p.tenant, *p.batch, r, change);
      if (s.ok()) {
        s = c.Exec("RELEASE SAVEPOINT w");
      } else if (PQstatus(c.raw()) == CONNECTION_OK) {
        c.Exec("ROLLBACK TO SAVEPOINT w").IgnoreError();
        c.Exec("RELEASE SAVEPOINT w").IgnoreError();
      }
      if (s.ok()) {
        results.push_back(std::move(r));
        if (change.position > 0) changes.push_back(std::move(change));
      } else {
        results.push_back(s);
      }
    }
    if (absl::Now() - last_trim_ >= options_.change_log_trim_interval) {
      last_trim_ = absl::Now();
      Params p;
      p.Add(absl::ToUnixMicros(last_trim_ - options_.change_log_retention));
      // In its own savepoint: a failed trim must not undo the group.
      absl::Status s = c.Exec("SAVEPOINT trim");
      if (s.ok()) {
        s = c.Run(
                 "DELETE FROM changes WHERE committed_at < $1 AND position < (SELECT "
                 "MAX(position) FROM changes)",
                 p)
                .status();
      }
      if (s.ok()) {
        s = c.Exec("RELEASE SAVEPOINT trim");
      } else {
        spdlog::warn("store: change log trim failed: {}", View(s.message()));
        c.Exec("ROLLBACK TO SAVEPOINT trim").IgnoreError();
      }
    }
    txn = c.Exec("COMMIT");
    if (!txn.ok() && PQstatus(c.raw()) == CONNECTION_OK) c.Exec("ROLLBACK").IgnoreError();
  }
  if (!txn.ok()) spdlog::error("store: group commit failed: {}", View(txn.message()));
  if (txn.ok() && !changes.empty()) NotifyCommitted(changes);
  for (size_t i = 0; i < group.size(); ++i) {
    group[i].done(txn.ok() ? std::move(results[i]) : absl::StatusOr<WriteResult>(txn));
  }
}

PostgresStore::Lease::~Lease() {
  if (conn_ == nullptr) return;
  absl::MutexLock lock(&store_->pool_mu_);
  if (conn_->Reusable()) {
    store_->idle_.push_back(std::move(conn_));
  } else {
    conn_.reset();
    --store_->open_;
  }
}

absl::StatusOr<PostgresStore::Lease> PostgresStore::Acquire() {
  {
    absl::MutexLock lock(&pool_mu_);
    pool_mu_.Await(absl::Condition(
        +[](PostgresStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->pool_mu_) {
          return !s->idle_.empty() || s->open_ < std::max<size_t>(1, s->options_.pool_size);
        },
        this));
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;
  }
  auto conn = Connection::Open(conninfo_);
  if (!conn.ok()) {
    absl::MutexLock lock(&pool_mu_);
    --open_;
    return conn.status();
  }
  return Lease(this, std::move(*conn));
}

absl::StatusOr<domain::User> PostgresStore::GetUser(TenantId tenant, std::string_view user_id) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(user_id);
  absl::StatusOr<Result> r = (*c)->Run(
      "SELECT user_id, doc, created_at, updated_at FROM users WHERE tenant_id = $1 AND user_id = "
      "$2",
      p);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError(StrCat("user \"", user_id, "\" not found"));
  return DecodeStoredUser(r->Text(0, 0), r->Text(0, 1), r->Int(0, 2), r->Int(0, 3));
}

absl::StatusOr<domain::Item> PostgresStore::GetItem(TenantId tenant, std::string_view item_id) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(item_id);
  absl::StatusOr<Result> r = (*c)->Run(
      "SELECT item_id, doc, created_at, updated_at FROM items WHERE tenant_id = $1 AND item_id = "
      "$2",
      p);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError(StrCat("item \"", item_id, "\" not found"));
  return DecodeStoredItem(r->Text(0, 0), r->Text(0, 1), r->Int(0, 2), r->Int(0, 3));
}

namespace {
template <typename T, typename DecodeFn>
absl::StatusOr<Page<T>> ListDocs(Connection& c, const std::string& sql, std::string_view kind,
                                 TenantId tenant, std::string_view cursor, int limit,
                                 DecodeFn decode) {
  std::string after;
  if (!cursor.empty()) {
    absl::StatusOr<std::string> decoded = DecodeCursor(kind, cursor);
    if (!decoded.ok()) return decoded.status();
    after = std::move(*decoded);
  }
  limit = ClampPageLimit(limit);
  Params p;
  p.Add(tenant).Add(after).Add(static_cast<int64_t>(limit) + 1);
  absl::StatusOr<Result> r = c.Run(sql, p);
  if (!r.ok()) return r.status();
  Page<T> page;
  page.cursor_after = [kind = std::string(kind)](const T& row) {
    return EncodeCursor(kind, row.id);
  };
  for (int row = 0; row < r->rows(); ++row) {
    if (static_cast<int>(page.rows.size()) == limit) {
      page.next_cursor = EncodeCursor(kind, page.rows.back().id);
      break;
    }
    absl::StatusOr<T> doc =
        decode(r->Text(row, 0), r->Text(row, 1), r->Int(row, 2), r->Int(row, 3));
    if (!doc.ok()) return doc.status();
    page.rows.push_back(std::move(*doc));
  }
  return page;
}
}  // namespace

absl::StatusOr<Page<domain::User>> PostgresStore::ListUsers(TenantId tenant,
                                                            std::string_view cursor, int limit) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  return ListDocs<domain::User>(
      **c,
      "SELECT user_id, doc, created_at, updated_at FROM users WHERE tenant_id = $1 AND "
      "user_id > $2 ORDER BY user_id LIMIT $3",
      "u", tenant, cursor, limit, DecodeStoredUser);
}

absl::StatusOr<Page<domain::Item>> PostgresStore::ListItems(TenantId tenant,
                                                            std::string_view cursor, int limit) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  return ListDocs<domain::Item>(
      **c,
      "SELECT item_id, doc, created_at, updated_at FROM items WHERE tenant_id = $1 AND "
      "item_id > $2 ORDER BY item_id LIMIT $3",
      "i", tenant, cursor, limit, DecodeStoredItem);
}

absl::StatusOr<Page<domain::Event>> PostgresStore::ListUserEvents(TenantId tenant,
                                                                  std::string_view user_id,
                                                                  std::string_view cursor,
                                                                  int limit) {
  absl::StatusOr<EventCursor> position = DecodeEventCursor(cursor);
  if (!position.ok()) return position.status();
  const int64_t before_ts = position->before_ts_micros, before_seq = position->before_seq;
  limit = ClampPageLimit(limit);
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(user_id).Add(before_ts).Add(before_seq).Add(static_cast<int64_t>(limit) + 1);
  absl::StatusOr<Result> r = (*c)->Run(
      StrCat("SELECT ", kEventColumns,
             " FROM events WHERE tenant_id = $1 AND user_id = $2 AND (ts < $3 OR (ts = $3 AND "
             "seq < $4)) ORDER BY ts DESC, seq DESC LIMIT $5"),
      p);
  if (!r.ok()) return r.status();
  Page<domain::Event> page;
  page.cursor_after = [](const domain::Event& e) { return EncodeEventCursor(e.timestamp, e.seq); };
  for (int row = 0; row < r->rows(); ++row) {
    if (static_cast<int>(page.rows.size()) == limit) {
      const domain::Event& last = page.rows.back();
      page.next_cursor = EncodeEventCursor(last.timestamp, last.seq);
      break;
    }
    page.rows.push_back(RowToEvent(*r, row));
  }
  return page;
}

absl::StatusOr<int64_t> PostgresStore::ScanEventsAt(
    TenantId tenant, const std::function<bool(const domain::Event&)>& fn) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Connection& conn = **c;
  // One snapshot for the position and the whole scan, read in batches
  // through a cursor. Positions are commit-ordered, so the snapshot holds
  // exactly the changes up to the largest position it sees.
  absl::Status s = conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!s.ok()) return s;
  int64_t at = 0;
  absl::StatusOr<Result> last = conn.Run("SELECT COALESCE(MAX(position), 0) FROM changes");
  s = last.status();
  if (s.ok()) at = last->Int(0, 0);
  Params p;
  p.Add(tenant);
  if (s.ok()) {
    s = conn.Run(StrCat("DECLARE scan NO SCROLL CURSOR FOR SELECT ", kEventColumns,
                        " FROM events WHERE tenant_id = $1 ORDER BY seq"),
                 p)
            .status();
  }
  for (bool more = s.ok(); more;) {
    absl::StatusOr<Result> r = conn.Run(StrCat("FETCH ", kScanBatch, " FROM scan"));
    if (!r.ok()) {
      s = r.status();
      break;
    }
    for (int row = 0; row < r->rows() && more; ++row) more = fn(RowToEvent(*r, row));
    if (r->rows() < kScanBatch) more = false;
  }
  absl::Status end = conn.Exec("ROLLBACK");  // read-only: nothing to commit
  if (!s.ok()) return s;
  if (!end.ok()) return end;
  return at;
}

absl::StatusOr<int64_t> PostgresStore::CountEvents(TenantId tenant) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant);
  absl::StatusOr<Result> r = (*c)->Run("SELECT COUNT(*) FROM events WHERE tenant_id = $1", p);
  if (!r.ok()) return r.status();
  return r->Int(0, 0);
}

absl::StatusOr<Record> PostgresStore::GetRecord(TenantId tenant, std::string_view collection,
                                                std::string_view id) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(collection).Add(id);
  absl::StatusOr<Result> r = (*c)->Run(
      "SELECT record_id, doc, updated_at, created_at, version FROM records WHERE tenant_id = $1 "
      "AND "
      "collection = $2 AND record_id = $3",
      p);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError(StrCat(collection, " record not found"));
  return RowToRecord(*r, 0);
}

absl::StatusOr<Page<Record>> PostgresStore::ListRecords(TenantId tenant,
                                                        std::string_view collection,
                                                        std::string_view cursor, int limit) {
  const std::string kind = StrCat("r:", collection);
  std::string after;
  if (!cursor.empty()) {
    absl::StatusOr<std::string> decoded = DecodeCursor(kind, cursor);
    if (!decoded.ok()) return decoded.status();
    after = std::move(*decoded);
  }
  limit = ClampPageLimit(limit);
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(collection).Add(after).Add(static_cast<int64_t>(limit) + 1);
  absl::StatusOr<Result> r = (*c)->Run(
      "SELECT record_id, doc, updated_at, created_at, version FROM records WHERE tenant_id = $1 "
      "AND "
      "collection = $2 AND record_id > $3 ORDER BY record_id LIMIT $4",
      p);
  if (!r.ok()) return r.status();
  Page<Record> page;
  page.cursor_after = [kind = std::string(kind)](const Record& r) {
    return EncodeCursor(kind, r.id);
  };
  for (int row = 0; row < r->rows(); ++row) {
    if (static_cast<int>(page.rows.size()) == limit) {
      page.next_cursor = EncodeCursor(kind, page.rows.back().id);
      break;
    }
    page.rows.push_back(RowToRecord(*r, row));
  }
  return page;
}

absl::Status PostgresStore::ScanRecords(TenantId tenant, std::string_view collection,
                                        const std::function<bool(const Record&)>& fn) {
  std::string cursor;
  do {
    absl::StatusOr<Page<Record>> page = ListRecords(tenant, collection, cursor, kMaxPageSize);
    if (!page.ok()) return page.status();
    for (const Record& record : page->rows) {
      if (!fn(record)) return absl::OkStatus();
    }
    cursor = std::move(page->next_cursor);
  } while (!cursor.empty());
  return absl::OkStatus();
}

absl::StatusOr<domain::Tenant> PostgresStore::EnsureTenant(std::string_view name) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(name).Add(NowMicros());
  absl::StatusOr<Result> r = (*c)->Run(
      "INSERT INTO tenants (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", p);
  if (!r.ok()) return r.status();
  Params q;
  q.Add(name);
  r = (*c)->Run("SELECT id, name, created_at FROM tenants WHERE name = $1", q);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::InternalError("tenant vanished after insert");
  return domain::Tenant{r->Int(0, 0), std::string(r->Text(0, 1)),
                        absl::FromUnixMicros(r->Int(0, 2))};
}

absl::StatusOr<domain::Tenant> PostgresStore::GetTenant(TenantId id) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(id);
  absl::StatusOr<Result> r = (*c)->Run("SELECT id, name, created_at FROM tenants WHERE id = $1", p);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError(StrCat("tenant ", id, " not found"));
  return domain::Tenant{r->Int(0, 0), std::string(r->Text(0, 1)),
                        absl::FromUnixMicros(r->Int(0, 2))};
}

absl::StatusOr<std::vector<domain::Tenant>> PostgresStore::ListTenants() {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  absl::StatusOr<Result> r = (*c)->Run("SELECT id, name, created_at FROM tenants ORDER BY id");
  if (!r.ok()) return r.status();
  std::vector<domain::Tenant> out;
  for (int row = 0; row < r->rows(); ++row) {
    out.push_back(
        {r->Int(row, 0), std::string(r->Text(row, 1)), absl::FromUnixMicros(r->Int(row, 2))});
  }
  return out;
}

absl::Status PostgresStore::PutApiKey(const domain::ApiKey& key) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(key.key_hash).Add(key.prefix).Add(key.tenant_id).Add(domain::RoleName(key.role));
  p.Add(absl::ToUnixMicros(key.created_at));
  return (*c)
      ->Run(
          "INSERT INTO api_keys (key_hash, prefix, tenant_id, role, created_at) VALUES "
          "($1, $2, $3, $4, $5)",
          p)
      .status();
}

absl::StatusOr<domain::ApiKey> PostgresStore::FindApiKey(std::string_view key_hash) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(key_hash);
  absl::StatusOr<Result> r = (*c)->Run(
      "SELECT key_hash, prefix, tenant_id, role, created_at FROM api_keys WHERE key_hash = $1", p);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError("no such API key");
  domain::ApiKey key;
  key.key_hash = std::string(r->Text(0, 0));
  key.prefix = std::string(r->Text(0, 1));
  key.tenant_id = r->Int(0, 2);
  key.role = domain::ParseRole(r->Text(0, 3)).value_or(domain::Role::kRead);
  key.created_at = absl::FromUnixMicros(r->Int(0, 4));
  return key;
}

absl::StatusOr<std::vector<domain::ApiKey>> PostgresStore::ListApiKeys(TenantId tenant) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant);
  absl::StatusOr<Result> r = (*c)->Run(
      "SELECT key_hash, prefix, tenant_id, role, created_at FROM api_keys WHERE tenant_id = $1 "
      "ORDER BY created_at, key_hash",
      p);
  if (!r.ok()) return r.status();
  std::vector<domain::ApiKey> keys;
  for (int row = 0; row < r->rows(); ++row) {
    domain::ApiKey& key = keys.emplace_back();
    key.key_hash = std::string(r->Text(row, 0));
    key.prefix = std::string(r->Text(row, 1));
    key.tenant_id = r->Int(row, 2);
    key.role = domain::ParseRole(r->Text(row, 3)).value_or(domain::Role::kRead);
    key.created_at = absl::FromUnixMicros(r->Int(row, 4));
  }
  return keys;
}

// Blob bytes travel as hex text (parameters and results are text).
absl::Status PostgresStore::PutBlob(TenantId tenant, std::string_view key, std::string_view data) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(key);
  p.Add(absl::BytesToHexString(absl::string_view(data.data(), data.size())));
  p.Add(absl::ToUnixMicros(absl::Now()));
  return (*c)
      ->Run(
          "INSERT INTO blobs (tenant_id, blob_key, data, updated_at) VALUES ($1, $2, "
          "decode($3, 'hex'), $4) ON CONFLICT (tenant_id, blob_key) DO UPDATE SET data = "
          "EXCLUDED.data, updated_at = EXCLUDED.updated_at",
          p)
      .status();
}

absl::StatusOr<std::string> PostgresStore::GetBlob(TenantId tenant, std::string_view key) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(key);
  absl::StatusOr<Result> r =
      (*c)->Run("SELECT encode(data, 'hex') FROM blobs WHERE tenant_id = $1 AND blob_key = $2", p);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError(StrCat("no blob \"", key, "\""));
  const std::string_view hex = r->Text(0, 0);
  return absl::HexStringToBytes(absl::string_view(hex.data(), hex.size()));
}

absl::Status PostgresStore::DeleteBlob(TenantId tenant, std::string_view key) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(tenant).Add(key);
  return (*c)->Run("DELETE FROM blobs WHERE tenant_id = $1 AND blob_key = $2", p).status();
}

absl::StatusOr<int64_t> PostgresStore::CountApiKeys() {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  absl::StatusOr<Result> r = (*c)->Run("SELECT COUNT(*) FROM api_keys");
  if (!r.ok()) return r.status();
  return r->Int(0, 0);
}

absl::StatusOr<std::vector<Change>> PostgresStore::ReadChanges(int64_t after, int limit) {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  Params p;
  p.Add(after).Add(static_cast<int64_t>(ClampPageLimit(limit)));
  absl::StatusOr<Result> r = (*c)->Run(
      "SELECT position, tenant_id, committed_at, batch FROM changes WHERE position > $1 "
      "ORDER BY position LIMIT $2",
      p);
  if (!r.ok()) return r.status();
  std::vector<Change> out;
  for (int row = 0; row < r->rows(); ++row) {
    absl::StatusOr<WriteBatch> batch = DecodeChange(r->Text(row, 3));
    if (!batch.ok()) return batch.status();
    out.push_back(Change{r->Int(row, 0), r->Int(row, 1), absl::FromUnixMicros(r->Int(row, 2)),
                         std::move(*batch)});
  }
  return out;
}

absl::StatusOr<int64_t> PostgresStore::LastChangePosition() {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  absl::StatusOr<Result> r = (*c)->Run("SELECT COALESCE(MAX(position), 0) FROM changes");
  if (!r.ok()) return r.status();
  return r->Int(0, 0);
}

absl::Status PostgresStore::Ping() {
  auto c = Acquire();
  if (!c.ok()) return c.status();
  return (*c)->Run("SELECT 1").status();
}

}  // namespace tailor::storage
