#include "storage/postgres/schema.h"

#include <iterator>

#include "common/strings.h"
#include "spdlog/spdlog.h"

namespace tailor::storage::pg {
namespace {

// Schema versions, applied in order; tailor_schema.version records the last.
// Times are Unix microseconds; ids sort bytewise (COLLATE "C"), as in SQLite.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE tenants (
  id BIGSERIAL PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE api_keys (
  key_hash TEXT PRIMARY KEY,
  prefix TEXT NOT NULL,
  tenant_id BIGINT NOT NULL REFERENCES tenants(id),
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE users (
  tenant_id BIGINT NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
CREATE TABLE items (
  tenant_id BIGINT NOT NULL,
  item_id TEXT COLLATE "C" NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, item_id)
);
CREATE TABLE events (
  seq BIGSERIAL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  event_id TEXT,
  user_id TEXT COLLATE "C" NOT NULL,
  item_id TEXT,
  type TEXT NOT NULL,
  value DOUBLE PRECISION,
  ts BIGINT NOT NULL,
  text TEXT,
  context TEXT
);
CREATE INDEX events_by_tenant ON events (tenant_id, seq);
CREATE INDEX events_by_user ON events (tenant_id, user_id, ts, seq);
CREATE UNIQUE INDEX events_by_event_id ON events (tenant_id, event_id) WHERE event_id IS NOT NULL;
CREATE TABLE records (
  tenant_id BIGINT NOT NULL,
  collection TEXT COLLATE "C" NOT NULL,
  record_id TEXT COLLATE "C" NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, collection, record_id)
);
-- The change log. Writers hold the change-log advisory lock from the start
-- of their transaction to its commit, so positions follow commit order.
CREATE TABLE changes (
  position BIGSERIAL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  committed_at BIGINT NOT NULL,
  batch TEXT NOT NULL
);
CREATE INDEX changes_by_time ON changes (committed_at);
)sql",
    // Blobs (trained models), outside the change log.
    R"sql(
CREATE TABLE blobs (
  tenant_id BIGINT NOT NULL,
  blob_key TEXT COLLATE "C" NOT NULL,
  data BYTEA NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, blob_key)
);
)sql",
};

// Any constant, the same in every process: serialises schema migrations.
constexpr int64_t kMigrationLock = 0x7461696c6f72;  // "tailor"

}  // namespace

absl::Status MigrateSchema(Connection& c) {
  if (absl::Status s = c.Exec("BEGIN"); !s.ok()) return s;
  absl::Status s = c.Exec(StrCat("SELECT pg_advisory_xact_lock(", kMigrationLock,
                                 "); CREATE TABLE IF NOT EXISTS tailor_schema (version INT NOT NULL)"));
  int64_t version = 0;
  if (s.ok()) {
    absl::StatusOr<Result> r = c.Run("SELECT version FROM tailor_schema");
    if (!r.ok()) {
      s = r.status();
    } else if (r->rows() == 0) {
      s = c.Exec("INSERT INTO tailor_schema (version) VALUES (0)");
    } else {
      version = r->Int(0, 0);
    }
  }
  const int64_t latest = static_cast<int64_t>(std::size(kMigrations));
  if (s.ok() && version > latest) {
    s = absl::FailedPreconditionError(
        StrCat("database schema version ", version, " is newer than this build (", latest, ")"));
  }
  for (int64_t v = version; s.ok() && v < latest; ++v) {
    s = c.Exec(kMigrations[v]);
    if (s.ok()) s = c.Exec(StrCat("UPDATE tailor_schema SET version = ", v + 1));
    if (s.ok()) spdlog::info("store: migrated PostgreSQL schema to version {}", v + 1);
  }
  if (s.ok()) s = c.Exec("COMMIT");
  if (!s.ok()) c.Exec("ROLLBACK").IgnoreError();
  return s;
}

}  // namespace tailor::storage::pg
