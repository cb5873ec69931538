// Bulk import of users, items and events into a Store, from JSONL, CSV and
// the MovieLens formats. Bad rows are reported with their line number and
// skipped; only an unreadable file stops an import.
//
//   ImportOptions options{.format = "jsonl", .kind = "events"};
//   absl::StatusOr<ImportSummary> s = Import(store, tenant, "events.jsonl", options, &std::cerr);
//
// Formats:
//   jsonl  one JSON object per line, shaped like the API bodies (users and
//          items carry "user_id"/"item_id").
//   csv    a header row. users: user_id, timezone, locale, email, phone, and
//          any other column becomes a string attribute. items: item_id, title,
//          text, categories and tags ("|"-separated), language, published_at,
//          expires_at, available. events: user_id, item_id, type, value,
//          timestamp (RFC 3339 or Unix seconds), event_id, text.
//   ml-100k, ml-1m, ml-latest: PATH is the MovieLens directory; users, movies
//          (as items with genres as categories) and ratings (as "rate" events
//          whose value is the rating) are imported; event ids are derived from
//          (user, movie, time), so importing twice stores nothing twice.
#ifndef TAILOR_IMPORTER_IMPORTER_H_
#define TAILOR_IMPORTER_IMPORTER_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace tailor::importer {

struct ImportOptions {
  std::string format;   // jsonl, csv, ml-100k, ml-1m, ml-latest
  std::string kind;     // users, items, events (jsonl and csv only)
  size_t batch_size = 5000;
  bool progress = true;  // draw a progress bar on the report stream
};

struct ImportSummary {
  int64_t lines = 0;
  int64_t users = 0;
  int64_t items = 0;
  int64_t events_accepted = 0;
  int64_t events_duplicate = 0;
  int64_t bad_rows = 0;
};

// Imports `path`. Bad rows are written to `report` as "FILE:LINE: message".
absl::StatusOr<ImportSummary> Import(storage::Store& store, domain::TenantId tenant,
                                     const std::string& path, const ImportOptions& options,
                                     std::ostream& report);

}  // namespace tailor::importer

#endif  // TAILOR_IMPORTER_IMPORTER_H_
