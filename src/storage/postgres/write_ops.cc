#include "storage/postgres/write_ops.h"

#include <variant>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/strings.h"
#include "storage/change_codec.h"

namespace tailor::storage::pg {
namespace {

absl::Status AddCreatedAt(const absl::StatusOr<Result>& r, WriteResult& result) {
  if (!r.ok()) return r.status();
  if (r->rows() != 1) return absl::InternalError("upsert returned no created_at");
  result.created_at.push_back(absl::FromUnixMicros(r->Int(0, 0)));
  ++result.upserted;
  return absl::OkStatus();
}

absl::Status VersionConflict(std::string_view collection, std::string_view id, int64_t expected) {
  return absl::AbortedError(StrCat(collection, " record \"", id,
                                   expected == 0 ? "\" already exists"
                                                 : "\" is not at the expected version"));
}

absl::Status AppendEvents(Connection& c, domain::TenantId tenant, const WriteBatch::Append& append,
                          int64_t& position, WriteResult& result, WriteBatch::Append& accepted) {
  std::vector<Params> rows;
  rows.reserve(append.events.size());
  for (const WriteBatch::StoredEvent& se : append.events) {
    const domain::Event& e = se.event;
    Params p;
    p.Add(tenant).AddOrNull(e.event_id).Add(e.user_id).AddOrNull(e.item_id).Add(e.type);
    if (e.value) {
      p.Add(*e.value);
    } else {
      p.AddNull();
    }
    p.Add(absl::ToUnixMicros(e.timestamp)).AddOrNull(e.text).AddOrNull(se.context_json);
    rows.push_back(std::move(p));
  }
  const int64_t first = position;
  absl::Status s = c.RunPipelined(
      "INSERT INTO events (tenant_id, event_id, user_id, item_id, type, value, ts, text, context) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      "ON CONFLICT (tenant_id, event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING seq",
      rows, [&](size_t i, const Result& r) {
        if (r.rows() > 0) {
          ++result.events_accepted;
          accepted.events.push_back(append.events[i]);
          accepted.events.back().event.seq = r.Int(0, 0);
        } else {
          ++result.events_duplicate;
          result.duplicate_events.push_back(first + static_cast<int64_t>(i));
        }
      });
  position += static_cast<int64_t>(rows.size());
  return s;
}

}  // namespace

absl::Status ApplyBatch(Connection& c, domain::TenantId tenant, const WriteBatch& batch,
                        WriteResult& result, Change& change) {
  int64_t event_position = 0;  // across every append of the batch
  WriteBatch effective;        // what changed, for the change log
  for (const WriteBatch::Op& op : batch.ops()) {
    if (const auto* put = std::get_if<WriteBatch::PutDoc>(&op)) {
      Params p;
      p.Add(tenant).Add(put->id).Add(put->doc).Add(put->at_micros);
      absl::Status s = AddCreatedAt(
          c.Run(put->is_user
                    ? "INSERT INTO users (tenant_id, user_id, doc, created_at, updated_at) "
                      "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (tenant_id, user_id) DO UPDATE SET "
                      "doc = excluded.doc, updated_at = excluded.updated_at RETURNING created_at"
                    : "INSERT INTO items (tenant_id, item_id, doc, created_at, updated_at) "
                      "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (tenant_id, item_id) DO UPDATE SET "
                      "doc = excluded.doc, updated_at = excluded.updated_at RETURNING created_at",
                p),
          result);
      if (!s.ok()) return s;
      effective.Add(*put);
    } else if (const auto* del = std::get_if<WriteBatch::DeleteDoc>(&op)) {
      effective.Add(*del);
      Params p;
      p.Add(tenant).Add(del->id);
      absl::StatusOr<Result> r =
          c.Run(del->is_user ? "DELETE FROM users WHERE tenant_id = $1 AND user_id = $2"
                             : "DELETE FROM items WHERE tenant_id = $1 AND item_id = $2",
                p);
      if (!r.ok()) return r.status();
      result.deleted += r->Affected();
      if (del->is_user) {
        r = c.Run("DELETE FROM events WHERE tenant_id = $1 AND user_id = $2", p);
        if (!r.ok()) return r.status();
        result.events_deleted += r->Affected();
      }
    } else if (const auto* rec = std::get_if<WriteBatch::PutRecordOp>(&op)) {
      Params p;
      p.Add(tenant).Add(rec->collection).Add(rec->id).Add(rec->doc).Add(rec->at_micros);
      if (rec->expected_version.value_or(0) > 0) p.Add(*rec->expected_version);
      absl::StatusOr<Result> r = c.Run(
          !rec->expected_version
              ? "INSERT INTO records (tenant_id, collection, record_id, doc, created_at, "
                "updated_at, version) VALUES ($1, $2, $3, $4, $5, $5, 1) ON CONFLICT (tenant_id, "
                "collection, record_id) DO UPDATE SET doc = excluded.doc, updated_at = "
                "excluded.updated_at, version = records.version + 1 RETURNING created_at, version"
          : *rec->expected_version == 0
              ? "INSERT INTO records (tenant_id, collection, record_id, doc, created_at, "
                "updated_at, version) VALUES ($1, $2, $3, $4, $5, $5, 1) ON CONFLICT DO NOTHING "
                "RETURNING created_at, version"
              : "UPDATE records SET doc = $4, updated_at = $5, version = version + 1 WHERE "
                "tenant_id = $1 AND collection = $2 AND record_id = $3 AND version = $6 "
                "RETURNING created_at, version",
          p);
      if (!r.ok()) return r.status();
      if (r->rows() == 0) return VersionConflict(rec->collection, rec->id, *rec->expected_version);
      if (absl::Status s = AddCreatedAt(r, result); !s.ok()) return s;
      result.record_versions.push_back(r->Int(0, 1));
      WriteBatch::PutRecordOp applied = *rec;
      applied.version = r->Int(0, 1);
      effective.Add(std::move(applied));
    } else if (const auto* drec = std::get_if<WriteBatch::DeleteRecordOp>(&op)) {
      Params p;
      p.Add(tenant).Add(drec->collection).Add(drec->id);
      if (drec->expected_version) p.Add(*drec->expected_version);
      absl::StatusOr<Result> r = c.Run(
          drec->expected_version
              ? "DELETE FROM records WHERE tenant_id = $1 AND collection = $2 AND record_id = $3 "
                "AND version = $4"
              : "DELETE FROM records WHERE tenant_id = $1 AND collection = $2 AND record_id = $3",
          p);
      if (!r.ok()) return r.status();
      if (drec->expected_version && r->Affected() == 0) {
        return VersionConflict(drec->collection, drec->id, -1);
      }
      result.deleted += r->Affected();
      effective.Add(*drec);
    } else if (const auto* append = std::get_if<WriteBatch::Append>(&op)) {
      WriteBatch::Append accepted;
      if (absl::Status s = AppendEvents(c, tenant, *append, event_position, result, accepted);
          !s.ok()) {
        return s;
      }
      if (!accepted.events.empty()) effective.Add(std::move(accepted));
    }
  }
  if (effective.empty()) return absl::OkStatus();
  Params p;
  p.Add(tenant).Add(absl::ToUnixMicros(absl::Now())).Add(EncodeChange(effective));
  absl::StatusOr<Result> r = c.Run(
      "INSERT INTO changes (tenant_id, committed_at, batch) VALUES ($1, $2, $3) RETURNING position",
      p);
  if (!r.ok()) return r.status();
  if (r->rows() != 1) return absl::InternalError("change log insert returned no position");
  result.change_position = r->Int(0, 0);
  change.position = result.change_position;
  change.tenant = tenant;
  change.committed_at = absl::Now();
  change.batch = std::move(effective);
  return absl::OkStatus();
}

}  // namespace tailor::storage::pg
