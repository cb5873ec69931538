// A thin RAII layer over one libpq connection: parameters are sent as text
// apart from the SQL, statements are prepared once per connection and reused,
// and errors become absl::Status by SQLSTATE.
//
//   auto conn = *pg::Connection::Open("postgres://tailor@127.0.0.1:5432/tailor");
//   pg::Params p;
//   p.Add(tenant).Add(user_id);
//   absl::StatusOr<pg::Result> r = conn->Run("SELECT doc FROM users WHERE tenant_id = $1 AND user_id = $2", p);
//   if (r.ok() && r->rows() == 1) use(r->Text(0, 0));
//
// Thread-safety: a Connection is used by one thread at a time.
#ifndef TAILOR_STORAGE_POSTGRES_CONNECTION_H_
#define TAILOR_STORAGE_POSTGRES_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tailor::storage::pg {

// Text parameters of one statement; std::nullopt is SQL NULL.
class Params {
 public:
  Params& Add(std::string_view text);
  Params& Add(int64_t v);
  Params& Add(double v);
  Params& AddNull();
  // NULL when `text` is empty.
  Params& AddOrNull(std::string_view text);
  int size() const { return static_cast<int>(values_.size()); }
  // Pointers valid while this object lives and is not changed.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// The rows of one statement.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view Text(int row, int col) const;
  int64_t Int(int row, int col) const;
  double Double(int row, int col) const;
  // Rows changed by an INSERT/UPDATE/DELETE without RETURNING.
  int64_t Affected() const;
  PGresult* raw() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

// The status for a failed result: AlreadyExists for unique violations,
// Aborted for serialization failures and deadlocks, Unavailable when the
// server cannot be reached, Internal otherwise.
absl::Status ErrorStatus(const PGresult* r, PGconn* conn, std::string_view what);

class Connection {
 public:
  // `conninfo` is a libpq connection string or postgres:// URI.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement (prepared on first use, then reused).
  absl::StatusOr<Result> Run(const std::string& sql, const Params& params = {});
  // Runs statements without parameters (may hold several; not prepared).
  absl::Status Exec(const std::string& sql);
  // Runs the same prepared statement once per entry of `rows`, pipelined
  // (one round trip per chunk instead of one per row); `on_result(i, r)` sees
  // row i's result. Stops at the first failing row.
  absl::Status RunPipelined(const std::string& sql, const std::vector<Params>& rows,
                            const std::function<void(size_t, const Result&)>& on_result);
  // False once the connection is broken or left inside a transaction.
  bool Reusable() const;
  PGconn* raw() { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  absl::StatusOr<std::string> Prepared(const std::string& sql);
  absl::StatusOr<Result> RunOnce(const std::string& sql, const Params& params);
  absl::Status Reconnect();

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
};

}  // namespace tailor::storage::pg

#endif  // TAILOR_STORAGE_POSTGRES_CONNECTION_H_
