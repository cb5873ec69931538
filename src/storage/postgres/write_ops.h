// How PostgresStore applies one WriteBatch inside the writer's transaction.
#ifndef TAILOR_STORAGE_POSTGRES_WRITE_OPS_H_
#define TAILOR_STORAGE_POSTGRES_WRITE_OPS_H_

#include "absl/status/status.h"
#include "domain/tenant.h"
#include "storage/postgres/connection.h"
#include "storage/store.h"
#include "storage/write_batch.h"

namespace tailor::storage::pg {

// Applies every op of `batch` on `c` (inside a transaction or savepoint the
// caller owns) and fills `result`, and `change` when it logged one; event
// appends are pipelined.
absl::Status ApplyBatch(Connection& c, domain::TenantId tenant, const WriteBatch& batch,
                        WriteResult& result, Change& change);

}  // namespace tailor::storage::pg

#endif  // TAILOR_STORAGE_POSTGRES_WRITE_OPS_H_
