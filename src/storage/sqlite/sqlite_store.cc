#include "storage/sqlite/sqlite_store.h"

#include <boost/json.hpp>
#include <cstdio>
#include <future>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/time/clock.h"
#include "common/metrics.h"
#include "common/strings.h"
#include "spdlog/spdlog.h"

namespace tailor::storage {

namespace json = boost::json;
using sqlite::Connection;
using sqlite::Query;

namespace {

// Schema versions, applied in order; PRAGMA user_version records the last.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
  key_hash TEXT PRIMARY KEY,
  prefix TEXT NOT NULL,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  tenant_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
) WITHOUT ROWID;
CREATE TABLE items (
  tenant_id INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, item_id)
) WITHOUT ROWID;
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  event_id TEXT,
  user_id TEXT NOT NULL,
  item_id TEXT,
  type TEXT NOT NULL,
  value REAL,
  ts INTEGER NOT NULL,
  text TEXT,
  context TEXT
);
CREATE INDEX events_by_user ON events (tenant_id, user_id, ts, seq);
CREATE UNIQUE INDEX events_by_event_id ON events (tenant_id, event_id) WHERE event_id IS NOT NULL;
)sql",
    R"sql(
CREATE TABLE records (
  tenant_id INTEGER NOT NULL,
  collection TEXT NOT NULL,
  record_id TEXT NOT NULL,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, collection, record_id)
) WITHOUT ROWID;
)sql",
    // Records remember their creation; older ones take their last update.
    R"sql(
ALTER TABLE records ADD COLUMN created_at INTEGER;
UPDATE records SET created_at = updated_at;
)sql",
};

constexpr size_t kMaxGroupWeight = 200000;  // rows per group commit
constexpr size_t kMaxGroupRequests = 4096;
constexpr int kMaxPageSize = 1000;

int ClampLimit(int limit) { return std::max(1, std::min(limit, kMaxPageSize)); }

std::string EncodeCursor(std::string_view kind, std::string_view position) {
  std::string raw = StrCat(kind, "|", position);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodeCursor(std::string_view kind, std::string_view cursor) {
  std::string raw;
  if (cursor.size() > 1024 || !absl::WebSafeBase64Unescape(std::string(cursor), &raw) ||
      raw.size() < kind.size() + 1 || raw.compare(0, kind.size(), kind) != 0 ||
      raw[kind.size()] != '|') {
    return absl::InvalidArgumentError("cursor is not one this server issued");
  }
  return raw.substr(kind.size() + 1);
}

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

absl::StatusOr<json::value> ParseDoc(std::string_view doc) {
  boost::system::error_code ec;
  json::value v = json::parse(doc, ec);
  if (ec) return absl::DataLossError("stored document is not JSON");
  return v;
}

template <typename T, typename ParseFn>
absl::StatusOr<T> RowToDoc(Query& q, ParseFn parse) {
  // Columns: id, doc, created_at, updated_at.
  absl::StatusOr<json::value> doc = ParseDoc(q.Text(1));
  if (!doc.ok()) return doc.status();
  absl::StatusOr<T> out = parse(*doc, q.Text(0));
  if (!out.ok()) return absl::DataLossError(StrCat("stored document invalid: ", View(out.status().message())));
  out->created_at = absl::FromUnixMicros(q.Int(2));
  out->updated_at = absl::FromUnixMicros(q.Int(3));
  return out;
}

domain::Event RowToEvent(Query& q) {
  // Columns: seq, event_id, user_id, item_id, type, value, ts, text, context.
  domain::Event e;
  e.seq = q.Int(0);
  e.event_id = std::string(q.Text(1));
  e.user_id = std::string(q.Text(2));
  e.item_id = std::string(q.Text(3));
  e.type = std::string(q.Text(4));
  if (!q.IsNull(5)) e.value = q.Double(5);
  e.timestamp = absl::FromUnixMicros(q.Int(6));
  e.text = std::string(q.Text(7));
  if (!q.IsNull(8)) {
    boost::system::error_code ec;
    json::value ctx = json::parse(q.Text(8), ec);
    if (!ec && ctx.is_object()) e.context = std::move(ctx.get_object());
  }
  return e;
}

// Runs an upsert ending in "RETURNING created_at" and appends that time to
// result.created_at.
absl::Status RecordCreatedAt(Query& q, WriteResult& result) {
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("upsert returned no created_at");
  result.created_at.push_back(absl::FromUnixMicros(q.Int(0)));
  return absl::OkStatus();
}

constexpr char kEventColumns[] =
    "seq, event_id, user_id, item_id, type, value, ts, text, context";

absl::Status ApplyBatch(Connection& c, TenantId tenant, const WriteBatch& batch,
                        WriteResult& result) {
  int64_t event_position = 0;  // across every append of the batch
  for (const WriteBatch::Op& op : batch.ops()) {
    if (const auto* put = std::get_if<WriteBatch::PutDoc>(&op)) {
      Query q = c.Prepare(
          put->is_user
              ? "INSERT INTO users (tenant_id, user_id, doc, created_at, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (tenant_id, user_id) DO UPDATE SET "
                "doc = excluded.doc, updated_at = excluded.updated_at RETURNING created_at"
              : "INSERT INTO items (tenant_id, item_id, doc, created_at, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (tenant_id, item_id) DO UPDATE SET "
                "doc = excluded.doc, updated_at = excluded.updated_at RETURNING created_at");
      q.Bind(1, tenant).Bind(2, std::string_view(put->id)).Bind(3, std::string_view(put->doc));
      q.Bind(4, put->at_micros);
      if (absl::Status s = RecordCreatedAt(q, result); !s.ok()) return s;
      ++result.upserted;
    } else if (const auto* del = std::get_if<WriteBatch::DeleteDoc>(&op)) {
      {
        Query q = c.Prepare(del->is_user ? "DELETE FROM users WHERE tenant_id = ?1 AND user_id = ?2"
                                         : "DELETE FROM items WHERE tenant_id = ?1 AND item_id = ?2");
        q.Bind(1, tenant).Bind(2, std::string_view(del->id));
        if (absl::Status s = q.Run(); !s.ok()) return s;
        result.deleted += c.Changes();
      }
      if (del->is_user) {
        Query q = c.Prepare("DELETE FROM events WHERE tenant_id = ?1 AND user_id = ?2");
        q.Bind(1, tenant).Bind(2, std::string_view(del->id));
        if (absl::Status s = q.Run(); !s.ok()) return s;
        result.events_deleted += c.Changes();
      }
    } else if (const auto* rec = std::get_if<WriteBatch::PutRecordOp>(&op)) {
      Query q = c.Prepare(
          "INSERT INTO records (tenant_id, collection, record_id, doc, created_at, updated_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (tenant_id, collection, record_id) DO "
          "UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at RETURNING created_at");
      q.Bind(1, tenant).Bind(2, std::string_view(rec->collection));
      q.Bind(3, std::string_view(rec->id)).Bind(4, std::string_view(rec->doc));
      q.Bind(5, rec->at_micros);
      if (absl::Status s = RecordCreatedAt(q, result); !s.ok()) return s;
      ++result.upserted;
    } else if (const auto* drec = std::get_if<WriteBatch::DeleteRecordOp>(&op)) {
      Query q = c.Prepare(
          "DELETE FROM records WHERE tenant_id = ?1 AND collection = ?2 AND record_id = ?3");
      q.Bind(1, tenant).Bind(2, std::string_view(drec->collection));
      q.Bind(3, std::string_view(drec->id));
      if (absl::Status s = q.Run(); !s.ok()) return s;
      result.deleted += c.Changes();
    } else if (const auto* append = std::get_if<WriteBatch::Append>(&op)) {
      Query q = c.Prepare(
          "INSERT OR IGNORE INTO events (tenant_id, event_id, user_id, item_id, type, value, ts, "
          "text, context) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      for (const WriteBatch::StoredEvent& se : append->events) {
        const domain::Event& e = se.event;
        q.Bind(1, tenant);
        if (e.event_id.empty()) {
          q.BindNull(2);
        } else {
          q.Bind(2, std::string_view(e.event_id));
        }
        q.Bind(3, std::string_view(e.user_id));
        if (e.item_id.empty()) {
          q.BindNull(4);
        } else {
          q.Bind(4, std::string_view(e.item_id));
        }
        q.Bind(5, std::string_view(e.type));
        if (e.value) {
          q.Bind(6, *e.value);
        } else {
          q.BindNull(6);
        }
        q.Bind(7, absl::ToUnixMicros(e.timestamp));
        if (e.text.empty()) {
          q.BindNull(8);
        } else {
          q.Bind(8, std::string_view(e.text));
        }
        if (se.context_json.empty()) {
          q.BindNull(9);
        } else {
          q.Bind(9, std::string_view(se.context_json));
        }
        absl::StatusOr<bool> row = q.Step();
        if (!row.ok()) return row.status();
        if (c.Changes() > 0) {
          ++result.events_accepted;
        } else {
          ++result.events_duplicate;
          result.duplicate_events.push_back(event_position);
        }
        ++event_position;
        q.Reset();
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

SqliteStore::SqliteStore(std::string path, StoreOptions options)
    : path_(std::move(path)), options_(std::move(options)) {
  auto& registry = MetricsRegistry::Default();
  commit_latency_ = &registry.GetHistogram("tailor_store_commit_seconds",
                                           "Latency of one group commit of the SQLite store", {});
  group_size_ = &registry.GetHistogram("tailor_store_commit_group_requests",
                                       "Write requests sharing one group commit", {},
                                       {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096});
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               const StoreOptions& options) {
  if (options.synchronous != "full" && options.synchronous != "normal") {
    return absl::InvalidArgumentError("synchronous must be full or normal");
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, options));
  auto conn = Connection::Open(path, options.synchronous);
  if (!conn.ok()) return conn.status();
  store->writer_conn_ = std::move(*conn);
  if (absl::Status s = store->Migrate(); !s.ok()) return s;
  // The writer never checkpoints itself (wal_autocheckpoint=0); a second
  // connection does it in the background with PASSIVE checkpoints.
  if (absl::Status s = store->writer_conn_->Exec("PRAGMA wal_autocheckpoint=0"); !s.ok()) return s;
  auto checkpoint_conn = Connection::Open(path, options.synchronous);
  if (!checkpoint_conn.ok()) return checkpoint_conn.status();
  store->checkpoint_conn_ = std::move(*checkpoint_conn);
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  store->checkpointer_ = std::thread([s = store.get()] { s->CheckpointLoop(); });
  return store;
}

SqliteStore::~SqliteStore() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  if (checkpointer_.joinable()) checkpointer_.join();
}

void SqliteStore::CheckpointLoop() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    // Wake every 100 ms (or at shutdown).
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Milliseconds(100));
    mu_.Unlock();
    int wal_frames = 0, checkpointed = 0;
    int rc = sqlite3_wal_checkpoint_v2(checkpoint_conn_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       &wal_frames, &checkpointed);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
      spdlog::warn("store: checkpoint failed: {}", sqlite3_errmsg(checkpoint_conn_->raw()));
    }
    mu_.Lock();
  }
}

absl::Status SqliteStore::Migrate() {
  Connection& c = *writer_conn_;
  int64_t version = 0;
  {
    Query q = c.Prepare("PRAGMA user_version");
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    version = q.Int(0);
  }
  const int64_t latest = static_cast<int64_t>(std::size(kMigrations));
  if (version > latest) {
    return absl::FailedPreconditionError(
        StrCat("database schema version ", version, " is newer than this build (", latest, ")"));
  }
  for (int64_t v = version; v < latest; ++v) {
    if (absl::Status s = c.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status s = c.Exec(kMigrations[v]);
    if (s.ok()) s = c.Exec(StrCat("PRAGMA user_version = ", v + 1));
    if (s.ok()) s = c.Exec("COMMIT");
    if (!s.ok()) {
      c.Exec("ROLLBACK").IgnoreError();
      return s;
    }
    spdlog::info("store: migrated {} to schema version {}", path_, v + 1);
  }
  return absl::OkStatus();
}

void SqliteStore::Enqueue(Pending pending) {
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    pending.done(absl::UnavailableError("store is shutting down"));
    return;
  }
  if (queue_.size() >= options_.max_queued_writes) {
    pending.done(absl::ResourceExhaustedError("write queue is full; retry shortly"));
    return;
  }
  queue_.push_back(std::move(pending));
}

void SqliteStore::Write(TenantId tenant, WriteBatch batch, WriteCallback done) {
  size_t weight = batch.event_count() + batch.ops().size();
  auto shared = std::make_shared<WriteBatch>(std::move(batch));
  Enqueue({[tenant, shared](Connection& c, WriteResult& r) { return ApplyBatch(c, tenant, *shared, r); },
           std::move(done), weight});
}

absl::Status SqliteStore::RunAdmin(std::function<absl::Status(Connection&)> fn) {
  std::promise<absl::Status> promise;
  auto future = promise.get_future();
  Enqueue({[fn = std::move(fn)](Connection& c, WriteResult&) { return fn(c); },
           [&promise](absl::StatusOr<WriteResult> r) { promise.set_value(r.status()); }, 1});
  return future.get();
}

void SqliteStore::WriterLoop() {
  std::vector<Pending> group;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SqliteStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
            return s->stopping_ || !s->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping and drained
      size_t weight = 0;
      while (!queue_.empty() && group.size() < kMaxGroupRequests &&
             (group.empty() || weight + queue_.front().weight <= kMaxGroupWeight)) {
        weight += queue_.front().weight;
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
    group.clear();
  }
}

void SqliteStore::CommitGroup(std::vector<Pending>& group) {
  Connection& c = *writer_conn_;
  absl::Time start = absl::Now();
  std::vector<absl::StatusOr<WriteResult>> results;
  results.reserve(group.size());
  absl::Status txn = c.Exec("BEGIN IMMEDIATE");
  if (txn.ok()) {
    for (Pending& p : group) {
      WriteResult r;
      absl::Status s = c.Exec("SAVEPOINT w");
      if (s.ok()) s = p.apply(c, r);
      if (s.ok()) {
        s = c.Exec("RELEASE w");
      } else {
        c.Exec("ROLLBACK TO w").IgnoreError();
        c.Exec("RELEASE w").IgnoreError();
      }
      if (s.ok()) {
        results.push_back(r);
      } else {
        results.push_back(s);
      }
    }
    txn = c.Exec("COMMIT");
    if (!txn.ok()) c.Exec("ROLLBACK").IgnoreError();
  }
  commit_latency_->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  group_size_->Observe(static_cast<double>(group.size()));
  for (size_t i = 0; i < group.size(); ++i) {
    if (!txn.ok()) {
      spdlog::error("store: group commit failed: {}", View(txn.message()));
      group[i].done(txn);
    } else {
      group[i].done(std::move(results[i]));
    }
  }
}

SqliteStore::Reader::~Reader() {
  if (conn_) {
    absl::MutexLock lock(&store_->pool_mu_);
    store_->readers_.push_back(std::move(conn_));
  }
}

absl::StatusOr<SqliteStore::Reader> SqliteStore::AcquireReader() {
  {
    absl::MutexLock lock(&pool_mu_);
    if (!readers_.empty()) {
      auto conn = std::move(readers_.back());
      readers_.pop_back();
      return Reader(this, std::move(conn));
    }
  }
  auto conn = Connection::Open(path_, options_.synchronous);
  if (!conn.ok()) return conn.status();
  return Reader(this, std::move(*conn));
}

absl::StatusOr<domain::User> SqliteStore::GetUser(TenantId tenant, std::string_view user_id) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT user_id, doc, created_at, updated_at FROM users WHERE tenant_id = ?1 AND user_id = ?2");
  q.Bind(1, tenant).Bind(2, user_id);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat("user \"", user_id, "\" not found"));
  return RowToDoc<domain::User>(q, domain::ParseUser);
}

absl::StatusOr<domain::Item> SqliteStore::GetItem(TenantId tenant, std::string_view item_id) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT item_id, doc, created_at, updated_at FROM items WHERE tenant_id = ?1 AND item_id = ?2");
  q.Bind(1, tenant).Bind(2, item_id);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat("item \"", item_id, "\" not found"));
  return RowToDoc<domain::Item>(q, domain::ParseItem);
}

namespace {
template <typename T, typename ParseFn>
absl::StatusOr<Page<T>> ListDocs(Connection& c, const std::string& sql, std::string_view kind,
                                 TenantId tenant, std::string_view cursor, int limit,
                                 ParseFn parse) {
  std::string after;
  if (!cursor.empty()) {
    absl::StatusOr<std::string> decoded = DecodeCursor(kind, cursor);
    if (!decoded.ok()) return decoded.status();
    after = std::move(*decoded);
  }
  limit = ClampLimit(limit);
  Query q = c.Prepare(sql);
  q.Bind(1, tenant).Bind(2, std::string_view(after)).Bind(3, static_cast<int64_t>(limit) + 1);
  Page<T> page;
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.rows.size()) == limit) {
      page.next_cursor = EncodeCursor(kind, page.rows.back().id);
      break;
    }
    absl::StatusOr<T> doc = RowToDoc<T>(q, parse);
    if (!doc.ok()) return doc.status();
    page.rows.push_back(std::move(*doc));
  }
  return page;
}
}  // namespace

absl::StatusOr<Page<domain::User>> SqliteStore::ListUsers(TenantId tenant, std::string_view cursor,
                                                          int limit) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return ListDocs<domain::User>(
      **reader,
      "SELECT user_id, doc, created_at, updated_at FROM users WHERE tenant_id = ?1 AND "
      "user_id > ?2 ORDER BY user_id LIMIT ?3",
      "u", tenant, cursor, limit, domain::ParseUser);
}

absl::StatusOr<Page<domain::Item>> SqliteStore::ListItems(TenantId tenant, std::string_view cursor,
                                                          int limit) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return ListDocs<domain::Item>(
      **reader,
      "SELECT item_id, doc, created_at, updated_at FROM items WHERE tenant_id = ?1 AND "
      "item_id > ?2 ORDER BY item_id LIMIT ?3",
      "i", tenant, cursor, limit, domain::ParseItem);
}

absl::StatusOr<Page<domain::Event>> SqliteStore::ListUserEvents(TenantId tenant,
                                                                std::string_view user_id,
                                                                std::string_view cursor,
                                                                int limit) {
  int64_t before_ts = std::numeric_limits<int64_t>::max();
  int64_t before_seq = std::numeric_limits<int64_t>::max();
  if (!cursor.empty()) {
    absl::StatusOr<std::string> decoded = DecodeCursor("e", cursor);
    if (!decoded.ok()) return decoded.status();
    if (std::sscanf(decoded->c_str(), "%ld:%ld", &before_ts, &before_seq) != 2) {
      return absl::InvalidArgumentError("cursor is not one this server issued");
    }
  }
  limit = ClampLimit(limit);
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      StrCat("SELECT ", kEventColumns,
             " FROM events WHERE tenant_id = ?1 AND user_id = ?2 AND (ts < ?3 OR (ts = ?3 AND "
             "seq < ?4)) ORDER BY ts DESC, seq DESC LIMIT ?5"));
  q.Bind(1, tenant).Bind(2, user_id).Bind(3, before_ts).Bind(4, before_seq);
  q.Bind(5, static_cast<int64_t>(limit) + 1);
  Page<domain::Event> page;
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.rows.size()) == limit) {
      const domain::Event& last = page.rows.back();
      page.next_cursor =
          EncodeCursor("e", StrCat(absl::ToUnixMicros(last.timestamp), ":", last.seq));
      break;
    }
    page.rows.push_back(RowToEvent(q));
  }
  return page;
}

absl::Status SqliteStore::ScanEvents(TenantId tenant,
                                     const std::function<bool(const domain::Event&)>& fn) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      StrCat("SELECT ", kEventColumns, " FROM events WHERE tenant_id = ?1 ORDER BY seq"));
  q.Bind(1, tenant);
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row || !fn(RowToEvent(q))) return absl::OkStatus();
  }
}

absl::StatusOr<int64_t> SqliteStore::CountEvents(TenantId tenant) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT COUNT(*) FROM events WHERE tenant_id = ?1");
  q.Bind(1, tenant);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return q.Int(0);
}

namespace {
// Columns: record_id, doc, updated_at, created_at.
Record RowToRecord(Query& q) {
  return Record{std::string(q.Text(0)), std::string(q.Text(1)), absl::FromUnixMicros(q.Int(2)),
                absl::FromUnixMicros(q.Int(3))};
}
}  // namespace

absl::StatusOr<Record> SqliteStore::GetRecord(TenantId tenant, std::string_view collection,
                                              std::string_view id) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT record_id, doc, updated_at, created_at FROM records WHERE tenant_id = ?1 AND collection = ?2 "
      "AND record_id = ?3");
  q.Bind(1, tenant).Bind(2, collection).Bind(3, id);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat(collection, " record not found"));
  return RowToRecord(q);
}

absl::StatusOr<Page<Record>> SqliteStore::ListRecords(TenantId tenant,
                                                      std::string_view collection,
                                                      std::string_view cursor, int limit) {
  std::string after;
  if (!cursor.empty()) {
    absl::StatusOr<std::string> decoded = DecodeCursor(StrCat("r:", collection), cursor);
    if (!decoded.ok()) return decoded.status();
    after = std::move(*decoded);
  }
  limit = ClampLimit(limit);
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT record_id, doc, updated_at, created_at FROM records WHERE tenant_id = ?1 AND collection = ?2 "
      "AND record_id > ?3 ORDER BY record_id LIMIT ?4");
  q.Bind(1, tenant).Bind(2, collection).Bind(3, std::string_view(after));
  q.Bind(4, static_cast<int64_t>(limit) + 1);
  Page<Record> page;
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.rows.size()) == limit) {
      page.next_cursor = EncodeCursor(StrCat("r:", collection), page.rows.back().id);
      break;
    }
    page.rows.push_back(RowToRecord(q));
  }
  return page;
}

absl::Status SqliteStore::ScanRecords(TenantId tenant, std::string_view collection,
                                      const std::function<bool(const Record&)>& fn) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT record_id, doc, updated_at, created_at FROM records WHERE tenant_id = ?1 AND collection = ?2 "
      "ORDER BY record_id");
  q.Bind(1, tenant).Bind(2, collection);
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row || !fn(RowToRecord(q))) return absl::OkStatus();
  }
}

absl::StatusOr<domain::Tenant> SqliteStore::EnsureTenant(std::string_view name) {
  domain::Tenant tenant;
  absl::Status s = RunAdmin([&](Connection& c) -> absl::Status {
    {
      Query q = c.Prepare("INSERT OR IGNORE INTO tenants (name, created_at) VALUES (?1, ?2)");
      q.Bind(1, name).Bind(2, NowMicros());
      if (absl::Status s = q.Run(); !s.ok()) return s;
    }
    Query q = c.Prepare("SELECT id, name, created_at FROM tenants WHERE name = ?1");
    q.Bind(1, name);
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    tenant.id = q.Int(0);
    tenant.name = std::string(q.Text(1));
    tenant.created_at = absl::FromUnixMicros(q.Int(2));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return tenant;
}

absl::StatusOr<domain::Tenant> SqliteStore::GetTenant(TenantId id) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT id, name, created_at FROM tenants WHERE id = ?1");
  q.Bind(1, id);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat("tenant ", id, " not found"));
  return domain::Tenant{q.Int(0), std::string(q.Text(1)), absl::FromUnixMicros(q.Int(2))};
}

absl::StatusOr<std::vector<domain::Tenant>> SqliteStore::ListTenants() {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT id, name, created_at FROM tenants ORDER BY id");
  std::vector<domain::Tenant> out;
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back({q.Int(0), std::string(q.Text(1)), absl::FromUnixMicros(q.Int(2))});
  }
}

absl::Status SqliteStore::PutApiKey(const domain::ApiKey& key) {
  return RunAdmin([&](Connection& c) {
    Query q = c.Prepare(
        "INSERT INTO api_keys (key_hash, prefix, tenant_id, role, created_at) VALUES (?1, ?2, ?3, "
        "?4, ?5)");
    q.Bind(1, std::string_view(key.key_hash)).Bind(2, std::string_view(key.prefix));
    q.Bind(3, key.tenant_id).Bind(4, domain::RoleName(key.role));
    q.Bind(5, absl::ToUnixMicros(key.created_at));
    return q.Run();
  });
}

absl::StatusOr<domain::ApiKey> SqliteStore::FindApiKey(std::string_view key_hash) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT key_hash, prefix, tenant_id, role, created_at FROM api_keys WHERE key_hash = ?1");
  q.Bind(1, key_hash);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("no such API key");
  domain::ApiKey key;
  key.key_hash = std::string(q.Text(0));
  key.prefix = std::string(q.Text(1));
  key.tenant_id = q.Int(2);
  key.role = domain::ParseRole(q.Text(3)).value_or(domain::Role::kRead);
  key.created_at = absl::FromUnixMicros(q.Int(4));
  return key;
}

absl::StatusOr<int64_t> SqliteStore::CountApiKeys() {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT COUNT(*) FROM api_keys");
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return q.Int(0);
}

absl::Status SqliteStore::Ping() {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT 1");
  return q.Step().status();
}

}  // namespace tailor::storage
