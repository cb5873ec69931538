#include "storage/sqlite/sqlite_store.h"

#include <boost/json.hpp>
#include <cstdio>
#include <future>
#include <limits>

#include "absl/time/clock.h"
#include "common/metrics.h"
#include "common/strings.h"
#include "spdlog/spdlog.h"
#include "storage/change_codec.h"
#include "storage/cursor.h"
#include "storage/stored_doc.h"

namespace tailor::storage {

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
    // Record versions (compare-and-set) and the change log. One writer per
    // file, so positions are commit-ordered; they only grow because the
    // trim never deletes the newest entry (new rowids are max + 1).
    R"sql(
ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE changes (
  position INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  committed_at INTEGER NOT NULL,
  batch TEXT NOT NULL
);
CREATE INDEX changes_by_time ON changes (committed_at);
)sql",
    // Blobs (trained models), outside the change log.
    R"sql(
CREATE TABLE blobs (
  tenant_id INTEGER NOT NULL,
  blob_key TEXT NOT NULL,
  data BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, blob_key)
);
)sql",
};

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

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
  if (!q.IsNull(8)) DecodeStoredContext(q.Text(8), e);
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

constexpr char kEventColumns[] = "seq, event_id, user_id, item_id, type, value, ts, text, context";

absl::Status VersionConflict(const WriteBatch::PutRecordOp& rec) {
  return absl::AbortedError(StrCat(
      rec.collection, " record \"", rec.id,
      *rec.expected_version == 0 ? "\" already exists" : "\" is not at the expected version"));
}

absl::Status ApplyBatch(Connection& c, TenantId tenant, const WriteBatch& batch,
                        WriteResult& result, Change& change) {
  int64_t event_position = 0;  // across every append of the batch
  WriteBatch effective;        // what changed, for the change log
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
      effective.Add(*put);
    } else if (const auto* del = std::get_if<WriteBatch::DeleteDoc>(&op)) {
      effective.Add(*del);
      {
        Query q =
            c.Prepare(del->is_user ? "DELETE FROM users WHERE tenant_id = ?1 AND user_id = ?2"
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
      const char* sql =
          !rec->expected_version
              ? "INSERT INTO records (tenant_id, collection, record_id, doc, created_at, "
                "updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1) ON CONFLICT (tenant_id, "
                "collection, record_id) DO UPDATE SET doc = excluded.doc, updated_at = "
                "excluded.updated_at, version = records.version + 1 RETURNING created_at, version"
          : *rec->expected_version == 0
              ? "INSERT INTO records (tenant_id, collection, record_id, doc, created_at, "
                "updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1) ON CONFLICT DO NOTHING "
                "RETURNING created_at, version"
              : "UPDATE records SET doc = ?4, updated_at = ?5, version = version + 1 WHERE "
                "tenant_id = ?1 AND collection = ?2 AND record_id = ?3 AND version = ?6 "
                "RETURNING created_at, version";
      Query q = c.Prepare(sql);
      q.Bind(1, tenant).Bind(2, std::string_view(rec->collection));
      q.Bind(3, std::string_view(rec->id)).Bind(4, std::string_view(rec->doc));
      q.Bind(5, rec->at_micros);
      if (rec->expected_version.value_or(0) > 0) q.Bind(6, *rec->expected_version);
      absl::StatusOr<bool> row = q.Step();
      if (!row.ok()) return row.status();
      if (!*row) return VersionConflict(*rec);
      result.created_at.push_back(absl::FromUnixMicros(q.Int(0)));
      result.record_versions.push_back(q.Int(1));
      ++result.upserted;
      WriteBatch::PutRecordOp applied = *rec;
      applied.version = q.Int(1);
      effective.Add(std::move(applied));
    } else if (const auto* drec = std::get_if<WriteBatch::DeleteRecordOp>(&op)) {
      Query q = c.Prepare(
          drec->expected_version
              ? "DELETE FROM records WHERE tenant_id = ?1 AND collection = ?2 AND record_id = ?3 "
                "AND version = ?4"
              : "DELETE FROM records WHERE tenant_id = ?1 AND collection = ?2 AND record_id = ?3");
      q.Bind(1, tenant).Bind(2, std::string_view(drec->collection));
      q.Bind(3, std::string_view(drec->id));
      if (drec->expected_version) q.Bind(4, *drec->expected_version);
      if (absl::Status s = q.Run(); !s.ok()) return s;
      const int changed = c.Changes();
      if (drec->expected_version && changed == 0) {
        return absl::AbortedError(
            StrCat(drec->collection, " record \"", drec->id, "\" is not at the expected version"));
      }
      result.deleted += changed;
      effective.Add(*drec);
    } else if (const auto* append = std::get_if<WriteBatch::Append>(&op)) {
      Query q = c.Prepare(
          "INSERT OR IGNORE INTO events (tenant_id, event_id, user_id, item_id, type, value, ts, "
          "text, context) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      WriteBatch::Append accepted;
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
          accepted.events.push_back(se);
          accepted.events.back().event.seq = c.LastInsertRowid();
        } else {
          ++result.events_duplicate;
          result.duplicate_events.push_back(event_position);
        }
        ++event_position;
        q.Reset();
      }
      if (!accepted.events.empty()) effective.Add(std::move(accepted));
    }
  }
  if (effective.empty()) return absl::OkStatus();
  Query q = c.Prepare(
      "INSERT INTO changes (tenant_id, committed_at, batch) VALUES (?1, ?2, ?3) RETURNING "
      "position");
  const std::string text = EncodeChange(effective);
  q.Bind(1, tenant).Bind(2, NowMicros()).Bind(3, std::string_view(text));
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("change log insert returned no position");
  result.change_position = q.Int(0);
  if (absl::Status s = q.Step().status(); !s.ok()) return s;
  change.position = result.change_position;
  change.tenant = tenant;
  change.committed_at = absl::Now();
  change.batch = std::move(effective);
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
  queue_.Close();
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

void SqliteStore::Write(TenantId tenant, WriteBatch batch, WriteCallback done) {
  size_t weight = batch.event_count() + batch.ops().size();
  auto shared = std::make_shared<WriteBatch>(std::move(batch));
  queue_.Push({[tenant, shared](Connection& c, WriteResult& r, Change& change) {
                 return ApplyBatch(c, tenant, *shared, r, change);
               },
               std::move(done), weight});
}

absl::Status SqliteStore::RunAdmin(std::function<absl::Status(Connection&)> fn) {
  std::promise<absl::Status> promise;
  auto future = promise.get_future();
  queue_.Push({[fn = std::move(fn)](Connection& c, WriteResult&, Change&) { return fn(c); },
               [&promise](absl::StatusOr<WriteResult> r) { promise.set_value(r.status()); }, 1});
  return future.get();
}

void SqliteStore::WriterLoop() {
  std::vector<Pending> group;
  while (queue_.PopGroup(group)) {
    CommitGroup(group);
    group.clear();
  }
}

void SqliteStore::CommitGroup(std::vector<Pending>& group) {
  Connection& c = *writer_conn_;
  absl::Time start = absl::Now();
  std::vector<absl::StatusOr<WriteResult>> results;
  results.reserve(group.size());
  std::vector<Change> changes;
  absl::Status txn = c.Exec("BEGIN IMMEDIATE");
  if (txn.ok()) {
    for (Pending& p : group) {
      WriteResult r;
      Change change;
      absl::Status s = c.Exec("SAVEPOINT w");
      if (s.ok()) s = p.apply(c, r, change);
      if (s.ok()) {
        s = c.Exec("RELEASE w");
      } else {
        c.Exec("ROLLBACK TO w").IgnoreError();
        c.Exec("RELEASE w").IgnoreError();
      }
      if (s.ok()) {
        results.push_back(r);
        if (change.position > 0) changes.push_back(std::move(change));
      } else {
        results.push_back(s);
      }
    }
    if (absl::Now() - last_trim_ >= options_.change_log_trim_interval) {
      last_trim_ = absl::Now();
      Query q = c.Prepare(
          "DELETE FROM changes WHERE committed_at < ?1 AND position < (SELECT MAX(position) "
          "FROM changes)");
      q.Bind(1, absl::ToUnixMicros(last_trim_ - options_.change_log_retention));
      if (absl::Status s = q.Run(); !s.ok()) {
        spdlog::warn("store: change log trim failed: {}", View(s.message()));
      }
    }
    txn = c.Exec("COMMIT");
    if (!txn.ok()) c.Exec("ROLLBACK").IgnoreError();
  }
  commit_latency_->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  group_size_->Observe(static_cast<double>(group.size()));
  if (txn.ok() && !changes.empty()) NotifyCommitted(changes);
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
      "SELECT user_id, doc, created_at, updated_at FROM users WHERE tenant_id = ?1 AND user_id = "
      "?2");
  q.Bind(1, tenant).Bind(2, user_id);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat("user \"", user_id, "\" not found"));
  return DecodeStoredUser(q.Text(0), q.Text(1), q.Int(2), q.Int(3));
}

absl::StatusOr<domain::Item> SqliteStore::GetItem(TenantId tenant, std::string_view item_id) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT item_id, doc, created_at, updated_at FROM items WHERE tenant_id = ?1 AND item_id = "
      "?2");
  q.Bind(1, tenant).Bind(2, item_id);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat("item \"", item_id, "\" not found"));
  return DecodeStoredItem(q.Text(0), q.Text(1), q.Int(2), q.Int(3));
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
  Query q = c.Prepare(sql);
  q.Bind(1, tenant).Bind(2, std::string_view(after)).Bind(3, static_cast<int64_t>(limit) + 1);
  Page<T> page;
  page.cursor_after = [kind = std::string(kind)](const T& row) {
    return EncodeCursor(kind, row.id);
  };
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.rows.size()) == limit) {
      page.next_cursor = EncodeCursor(kind, page.rows.back().id);
      break;
    }
    absl::StatusOr<T> doc = decode(q.Text(0), q.Text(1), q.Int(2), q.Int(3));
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
      "u", tenant, cursor, limit, DecodeStoredUser);
}

absl::StatusOr<Page<domain::Item>> SqliteStore::ListItems(TenantId tenant, std::string_view cursor,
                                                          int limit) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return ListDocs<domain::Item>(
      **reader,
      "SELECT item_id, doc, created_at, updated_at FROM items WHERE tenant_id = ?1 AND "
      "item_id > ?2 ORDER BY item_id LIMIT ?3",
      "i", tenant, cursor, limit, DecodeStoredItem);
}

absl::StatusOr<Page<domain::Event>> SqliteStore::ListUserEvents(TenantId tenant,
                                                                std::string_view user_id,
                                                                std::string_view cursor,
                                                                int limit) {
  absl::StatusOr<EventCursor> position = DecodeEventCursor(cursor);
  if (!position.ok()) return position.status();
  const int64_t before_ts = position->before_ts_micros, before_seq = position->before_seq;
  limit = ClampPageLimit(limit);
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      StrCat("SELECT ", kEventColumns,
             " FROM events WHERE tenant_id = ?1 AND user_id = ?2 AND (ts < ?3 OR (ts = ?3 AND "
             "seq < ?4)) ORDER BY ts DESC, seq DESC LIMIT ?5"));
  q.Bind(1, tenant).Bind(2, user_id).Bind(3, before_ts).Bind(4, before_seq);
  q.Bind(5, static_cast<int64_t>(limit) + 1);
  Page<domain::Event> page;
  page.cursor_after = [](const domain::Event& e) { return EncodeEventCursor(e.timestamp, e.seq); };
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.rows.size()) == limit) {
      const domain::Event& last = page.rows.back();
      page.next_cursor = EncodeEventCursor(last.timestamp, last.seq);
      break;
    }
    page.rows.push_back(RowToEvent(q));
  }
  return page;
}

absl::StatusOr<int64_t> SqliteStore::ScanEventsAt(
    TenantId tenant, const std::function<bool(const domain::Event&)>& fn) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  // One read transaction: the position and the events come from one snapshot.
  if (absl::Status s = (*reader)->Exec("BEGIN"); !s.ok()) return s;
  absl::StatusOr<int64_t> position = [&]() -> absl::StatusOr<int64_t> {
    int64_t at = 0;
    {
      Query q = (*reader)->Prepare("SELECT COALESCE(MAX(position), 0) FROM changes");
      absl::StatusOr<bool> row = q.Step();
      if (!row.ok()) return row.status();
      at = q.Int(0);
    }
    Query q = (*reader)->Prepare(
        StrCat("SELECT ", kEventColumns, " FROM events WHERE tenant_id = ?1 ORDER BY seq"));
    q.Bind(1, tenant);
    for (;;) {
      absl::StatusOr<bool> row = q.Step();
      if (!row.ok()) return row.status();
      if (!*row || !fn(RowToEvent(q))) return at;
    }
  }();
  absl::Status end = (*reader)->Exec("COMMIT");
  if (!position.ok()) return position.status();
  if (!end.ok()) return end;
  return position;
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
// Columns: record_id, doc, updated_at, created_at, version.
Record RowToRecord(Query& q) {
  return Record{std::string(q.Text(0)), std::string(q.Text(1)), absl::FromUnixMicros(q.Int(2)),
                absl::FromUnixMicros(q.Int(3)), q.Int(4)};
}
}  // namespace

absl::StatusOr<Record> SqliteStore::GetRecord(TenantId tenant, std::string_view collection,
                                              std::string_view id) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT record_id, doc, updated_at, created_at, version FROM records WHERE tenant_id = ?1 "
      "AND collection = ?2 "
      "AND record_id = ?3");
  q.Bind(1, tenant).Bind(2, collection).Bind(3, id);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat(collection, " record not found"));
  return RowToRecord(q);
}

absl::StatusOr<Page<Record>> SqliteStore::ListRecords(TenantId tenant, std::string_view collection,
                                                      std::string_view cursor, int limit) {
  std::string after;
  if (!cursor.empty()) {
    absl::StatusOr<std::string> decoded = DecodeCursor(StrCat("r:", collection), cursor);
    if (!decoded.ok()) return decoded.status();
    after = std::move(*decoded);
  }
  limit = ClampPageLimit(limit);
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT record_id, doc, updated_at, created_at, version FROM records WHERE tenant_id = ?1 "
      "AND collection = ?2 "
      "AND record_id > ?3 ORDER BY record_id LIMIT ?4");
  q.Bind(1, tenant).Bind(2, collection).Bind(3, std::string_view(after));
  q.Bind(4, static_cast<int64_t>(limit) + 1);
  Page<Record> page;
  page.cursor_after = [kind = StrCat("r:", collection)](const Record& r) {
    return EncodeCursor(kind, r.id);
  };
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
      "SELECT record_id, doc, updated_at, created_at, version FROM records WHERE tenant_id = ?1 "
      "AND collection = ?2 "
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

absl::StatusOr<std::vector<domain::ApiKey>> SqliteStore::ListApiKeys(TenantId tenant) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT key_hash, prefix, tenant_id, role, created_at FROM api_keys WHERE tenant_id = ?1 "
      "ORDER BY created_at, key_hash");
  q.Bind(1, tenant);
  std::vector<domain::ApiKey> keys;
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    domain::ApiKey& key = keys.emplace_back();
    key.key_hash = std::string(q.Text(0));
    key.prefix = std::string(q.Text(1));
    key.tenant_id = q.Int(2);
    key.role = domain::ParseRole(q.Text(3)).value_or(domain::Role::kRead);
    key.created_at = absl::FromUnixMicros(q.Int(4));
  }
  return keys;
}

absl::Status SqliteStore::PutBlob(TenantId tenant, std::string_view key, std::string_view data) {
  return RunAdmin([&](Connection& c) {
    Query q = c.Prepare(
        "INSERT OR REPLACE INTO blobs (tenant_id, blob_key, data, updated_at) VALUES (?1, ?2, ?3, "
        "?4)");
    q.Bind(1, tenant).Bind(2, key).BindBlob(3, data).Bind(4, NowMicros());
    return q.Run();
  });
}

absl::StatusOr<std::string> SqliteStore::GetBlob(TenantId tenant, std::string_view key) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT data FROM blobs WHERE tenant_id = ?1 AND blob_key = ?2");
  q.Bind(1, tenant).Bind(2, key);
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(StrCat("no blob \"", key, "\""));
  return std::string(q.Blob(0));
}

absl::Status SqliteStore::DeleteBlob(TenantId tenant, std::string_view key) {
  return RunAdmin([&](Connection& c) {
    Query q = c.Prepare("DELETE FROM blobs WHERE tenant_id = ?1 AND blob_key = ?2");
    q.Bind(1, tenant).Bind(2, key);
    return q.Run();
  });
}

absl::StatusOr<int64_t> SqliteStore::CountApiKeys() {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT COUNT(*) FROM api_keys");
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return q.Int(0);
}

absl::StatusOr<std::vector<Change>> SqliteStore::ReadChanges(int64_t after, int limit) {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare(
      "SELECT position, tenant_id, committed_at, batch FROM changes WHERE position > ?1 "
      "ORDER BY position LIMIT ?2");
  q.Bind(1, after).Bind(2, static_cast<int64_t>(ClampPageLimit(limit)));
  std::vector<Change> out;
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    absl::StatusOr<WriteBatch> batch = DecodeChange(q.Text(3));
    if (!batch.ok()) return batch.status();
    out.push_back(Change{q.Int(0), q.Int(1), absl::FromUnixMicros(q.Int(2)), std::move(*batch)});
  }
}

absl::StatusOr<int64_t> SqliteStore::LastChangePosition() {
  auto reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  Query q = (*reader)->Prepare("SELECT COALESCE(MAX(position), 0) FROM changes");
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
