// The PostgreSQL schema of PostgresStore and its migrations.
#ifndef TAILOR_STORAGE_POSTGRES_SCHEMA_H_
#define TAILOR_STORAGE_POSTGRES_SCHEMA_H_

#include "absl/status/status.h"
#include "storage/postgres/connection.h"

namespace tailor::storage::pg {

// Brings the database's schema up to this build's version, in one
// transaction under an advisory lock (several nodes may start at once).
// FailedPrecondition when the database is newer than this build.
absl::Status MigrateSchema(Connection& c);

// Held (pg_advisory_xact_lock) by every writing transaction from its start to
// its commit: change-log positions are then issued in commit order.
inline constexpr int64_t kChangeLogLock = 0x7461696c6f73;

}  // namespace tailor::storage::pg

#endif  // TAILOR_STORAGE_POSTGRES_SCHEMA_H_
