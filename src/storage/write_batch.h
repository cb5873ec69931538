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
  };
  struct DeleteRecordOp {
    std::string collection;
    std::string id;
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

  const std::vector<Op>& ops() const { return ops_; }
  size_t event_count() const { return event_count_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;
  size_t event_count_ = 0;
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_WRITE_BATCH_H_
