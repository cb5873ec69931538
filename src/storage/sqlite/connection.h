// Thin RAII wrappers over the SQLite C API: a Connection with a cache of
// prepared statements, and a Query that binds, steps and resets one of them.
// Not thread-safe: one Connection is used by one thread at a time.
//
//   auto conn = *Connection::Open("/tmp/x.db");
//   Query q = conn->Prepare("SELECT doc FROM users WHERE tenant_id=? AND user_id=?");
//   q.Bind(1, tenant).Bind(2, id);
//   absl::StatusOr<bool> row = q.Step();      // true: a row is ready
//   std::string doc(q.Text(0));
#ifndef TAILOR_STORAGE_SQLITE_CONNECTION_H_
#define TAILOR_STORAGE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tailor::storage::sqlite {

// Maps an SQLite result code to a canonical status.
absl::Status SqliteError(int rc, sqlite3* db, std::string_view what);

// A cached prepared statement in use; resets it (releasing its read
// snapshot) when destroyed.
class Query {
 public:
  explicit Query(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Query(Query&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Query(const Query&) = delete;
  ~Query();

  Query& Bind(int index, int64_t value);
  Query& Bind(int index, double value);
  // The text must outlive the Query's next Step().
  Query& Bind(int index, std::string_view text);
  // Binary data; must outlive the Query's next Step().
  Query& BindBlob(int index, std::string_view bytes);
  Query& BindNull(int index);
  // Makes the statement ready to bind and step again.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // True when a row is ready, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion, expecting no rows.
  absl::Status Run();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string_view Text(int column) const;
  std::string_view Blob(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens (creating if needed) the database at `path` with WAL journaling and
  // the given `synchronous` level ("full" or "normal").
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          std::string_view synchronous);
  ~Connection();

  absl::Status Exec(const std::string& sql);
  // A cached statement for `sql`, ready to bind. Dies on a malformed query
  // (a programming error, never client input).
  Query Prepare(const std::string& sql);
  int64_t Changes() const { return sqlite3_changes64(db_); }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* raw() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace tailor::storage::sqlite

#endif  // TAILOR_STORAGE_SQLITE_CONNECTION_H_
