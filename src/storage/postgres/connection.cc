#include "storage/postgres/connection.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "common/strings.h"

namespace tailor::storage::pg {
namespace {
// Text as UTF-8; no notices on the log.
constexpr char kSessionSetup[] = "SET client_encoding = 'UTF8'; SET client_min_messages = warning";
}  // namespace

Params& Params::Add(std::string_view text) {
  values_.emplace_back(std::string(text));
  return *this;
}

Params& Params::Add(int64_t v) {
  values_.emplace_back(std::to_string(v));
  return *this;
}

Params& Params::Add(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  values_.emplace_back(std::string(buf));
  return *this;
}

Params& Params::AddNull() {
  values_.emplace_back(std::nullopt);
  return *this;
}

Params& Params::AddOrNull(std::string_view text) {
  return text.empty() ? AddNull() : Add(text);
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

std::string_view Result::Text(int row, int col) const {
  return std::string_view(PQgetvalue(r_.get(), row, col),
                          static_cast<size_t>(PQgetlength(r_.get(), row, col)));
}

int64_t Result::Int(int row, int col) const {
  const std::string_view t = Text(row, col);
  int64_t v = 0;
  return absl::SimpleAtoi(absl::string_view(t.data(), t.size()), &v) ? v : 0;
}

double Result::Double(int row, int col) const {
  const std::string_view t = Text(row, col);
  double v = 0;
  return absl::SimpleAtod(absl::string_view(t.data(), t.size()), &v) ? v : 0;
}

int64_t Result::Affected() const {
  int64_t v = 0;
  return absl::SimpleAtoi(PQcmdTuples(r_.get()), &v) ? v : 0;
}

absl::Status ErrorStatus(const PGresult* r, PGconn* conn, std::string_view what) {
  std::string message = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  message = StrCat(what, ": ", message);
  if (PQstatus(conn) == CONNECTION_BAD) return absl::UnavailableError(message);
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view code = state != nullptr ? state : "";
  if (code == "23505") return absl::AlreadyExistsError(message);
  if (code == "40001" || code == "40P01") return absl::AbortedError(message);
  if (code.substr(0, 2) == "08" || code == "57P01" || code == "57P02" || code == "57P03") {
    return absl::UnavailableError(message);
  }
  if (code.substr(0, 2) == "22") return absl::InvalidArgumentError(message);  // data exception
  return absl::InternalError(message);
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return absl::ResourceExhaustedError("postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return absl::UnavailableError(StrCat("postgres: cannot connect: ", message));
  }
  std::unique_ptr<Connection> c(new Connection(conn));
  if (absl::Status s = c->Exec(kSessionSetup); !s.ok()) {
    return s;
  }
  return c;
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::Reusable() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

absl::Status Connection::Exec(const std::string& sql) {
  Result r(PQexec(conn_, sql.c_str()));
  const ExecStatusType st = PQresultStatus(r.raw());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorStatus(r.raw(), conn_, "postgres");
  return absl::OkStatus();
}

absl::StatusOr<std::string> Connection::Prepared(const std::string& sql) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
  std::string name = StrCat("s", prepared_.size() + 1);
  Result r(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
  if (PQresultStatus(r.raw()) != PGRES_COMMAND_OK) return ErrorStatus(r.raw(), conn_, "postgres prepare");
  prepared_.emplace(sql, name);
  return name;
}

absl::StatusOr<Result> Connection::Run(const std::string& sql, const Params& params) {
  const bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  absl::StatusOr<Result> r = RunOnce(sql, params);
  // A pooled connection the server has closed since its last use (restart,
  // failover, idle timeout) is found broken only now; outside a transaction
  // one reconnect and retry is safe for reads and idempotent writes.
  if (!r.ok() && idle && PQstatus(conn_) == CONNECTION_BAD && Reconnect().ok()) {
    r = RunOnce(sql, params);
  }
  return r;
}

absl::Status Connection::Reconnect() {
  PQreset(conn_);
  prepared_.clear();
  if (PQstatus(conn_) != CONNECTION_OK) return ErrorStatus(nullptr, conn_, "postgres reconnect");
  return Exec(kSessionSetup);
}

absl::StatusOr<Result> Connection::RunOnce(const std::string& sql, const Params& params) {
  absl::StatusOr<std::string> name = Prepared(sql);
  if (!name.ok()) return name.status();
  const std::vector<const char*> values = params.Pointers();
  Result r(PQexecPrepared(conn_, name->c_str(), params.size(), values.data(), nullptr, nullptr, 0));
  const ExecStatusType st = PQresultStatus(r.raw());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorStatus(r.raw(), conn_, "postgres");
  return r;
}

absl::Status Connection::RunPipelined(const std::string& sql, const std::vector<Params>& rows,
                                      const std::function<void(size_t, const Result&)>& on_result) {
  absl::StatusOr<std::string> name = Prepared(sql);
  if (!name.ok()) return name.status();
  // Chunks small enough that the results of one chunk fit in the socket
  // buffers, so sending never waits on a server that waits on us.
  constexpr size_t kChunk = 256;
  for (size_t begin = 0; begin < rows.size(); begin += kChunk) {
    const size_t end = std::min(rows.size(), begin + kChunk);
    if (PQenterPipelineMode(conn_) != 1) return ErrorStatus(nullptr, conn_, "postgres pipeline");
    absl::Status status;
    size_t sent = begin;
    for (; sent < end; ++sent) {
      const std::vector<const char*> values = rows[sent].Pointers();
      if (PQsendQueryPrepared(conn_, name->c_str(), rows[sent].size(), values.data(), nullptr,
                              nullptr, 0) != 1) {
        status = ErrorStatus(nullptr, conn_, "postgres send");
        break;
      }
    }
    const bool synced = PQpipelineSync(conn_) == 1;
    if (!synced && status.ok()) status = ErrorStatus(nullptr, conn_, "postgres sync");
    // Read every result up to and including the sync, even after an error.
    for (size_t i = begin;;) {
      PGresult* raw = PQgetResult(conn_);
      if (raw == nullptr) {
        if (PQstatus(conn_) == CONNECTION_BAD) {
          if (status.ok()) status = ErrorStatus(nullptr, conn_, "postgres");
          break;
        }
        ++i;  // end of one query's results
        if (!synced && i >= sent) break;
        continue;
      }
      Result r(raw);
      const ExecStatusType st = PQresultStatus(raw);
      if (st == PGRES_PIPELINE_SYNC) break;
      if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (status.ok()) on_result(i, r);
      } else if (st != PGRES_PIPELINE_ABORTED && status.ok()) {
        status = ErrorStatus(raw, conn_, "postgres");
      }
    }
    PQexitPipelineMode(conn_);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace tailor::storage::pg
