// WriteBatch: a list of mutations of one tenant's data that a Store applies
// atomically and durably in order (see Store::Write). Documents are encoded
// to JSON when added, on the caller's thread, so the store's single writer
// only binds and steps.
//
//   WriteBatch batch;
//   batch.PutUser(user);
//   batch.AppendEvents(std::move(events));
//   store.Write(tenant, std::move(batch), [](absl::StatusOr<WriteResult> r) {...});
#ifndef TAILOR_STORAGE_WRITE_BATCH_H_
#define TAILOR_STORAGE_WRITE_BATCH_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/time.h"

#include "domain/event.h"
#include "domain/item.h"
#include "domain/user.h"

namespace tailor::storage {

struct WriteResult {
  int64_t upserted = 0;            // users/items inserted or replaced
  int64_t deleted = 0;             // users/items removed
  int64_t events_deleted = 0;      // events removed with a deleted user
  int64_t events_accepted = 0;     // events newly stored
  int64_t events_duplicate = 0;    // events whose event_id was already stored
  // Positions, in the batch's event order, of the events counted in
  // events_duplicate (so callers can skip exactly those).
  std::vector<int64_t> duplicate_events;
  // For each PutUser, PutItem and PutRecord of the batch, in batch order:
  // when that document was first stored (the write time for a new one, the
  // original time for a replaced one).
  std::vector<absl::Time> created_at;
  // For each PutRecord/PutRecordIf of the batch, in batch order: the
  // record's version after this write (1 for a new record).
  std::vector<int64_t> record_versions;
  // This write's position in the store's change log (see Store::ReadChanges);
  // 0 when it changed nothing (e.g. only retried events).
  int64_t change_position = 0;
};

class WriteBatch {
 public:
  struct PutDoc {
    bool is_user;
    std::string id;
    std::string doc;  // JSON without server timestamps
    int64_t at_micros;
  };
  struct DeleteDoc {
    bool is_user;
    std::string id;
  };
  struct StoredEvent {
    domain::Event event;
    std::string context_json;  // empty when there is no context
  };
  struct Append {
    std::vector<StoredEvent> events;
  };
  // A document of a named collection (templates, decisions, campaigns, ...):
  // JSON the store keeps verbatim, keyed by (tenant, collection, id).
  struct PutRecordOp {
    std::string collection;
    std::string id;
    std::string doc;
    int64_t at_micros;
    // Compare-and-set: when set, the write applies only if the record is at
    // this version (0: only if it does not exist); otherwise the whole batch
    // fails with Aborted and nothing of it is applied.
    std::optional<int64_t> expected_version;
    // In a change-log entry (Store::ReadChanges): the version it produced.
    int64_t version = 0;
  };
  struct DeleteRecordOp {
    std::string collection;
    std::string id;
    std::optional<int64_t> expected_version;  // as for PutRecordOp
  };
  using Op = std::variant<PutDoc, DeleteDoc, Append, PutRecordOp, DeleteRecordOp>;

  // `user.updated_at` is the write time (set by the caller from its Clock).
  void PutUser(const domain::User& user);
  // Deleting a user also deletes that user's events (right to erasure).
  void DeleteUser(std::string id);
  void PutItem(const domain::Item& item);
  void DeleteItem(std::string id);
  void AppendEvents(std::vector<domain::Event> events);
  // Inserts or replaces a record; `doc` is JSON text; `at` its update time.
  void PutRecord(std::string collection, std::string id, std::string doc, absl::Time at);
  // Counted in WriteResult::deleted when the record existed.
  void DeleteRecord(std::string collection, std::string id);
  // Compare-and-set forms (see PutRecordOp::expected_version): the batch
  // fails with Aborted, applying nothing, unless the record is at
  // `expected_version` (0: absent). Leases and claims are built on these.
  void PutRecordIf(std::string collection, std::string id, std::string doc, absl::Time at,
                   int64_t expected_version);
  void DeleteRecordIf(std::string collection, std::string id, int64_t expected_version);
  // Adds an op as it is (change-log decoding, see change_codec.h).
  void Add(Op op);

  const std::vector<Op>& ops() const { return ops_; }
  size_t event_count() const { return event_count_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;
  size_t event_count_ = 0;
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_WRITE_BATCH_H_
