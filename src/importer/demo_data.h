// A synthetic but realistic tenant for demos and load tests: users spread
// over time zones with contact channels and consent, a catalogue with text
// and categories, and months of events where each user favours a few
// categories, is active at their own local hours, and answers notifications
// on their preferred channel. Deterministic for a given seed.
//
//   DemoOptions options{.users = 1000, .items = 300, .days = 60, .seed = 7};
//   absl::StatusOr<DemoSummary> s = GenerateDemo(store, tenant, options, clock.Now());
#ifndef TAILOR_IMPORTER_DEMO_DATA_H_
#define TAILOR_IMPORTER_DEMO_DATA_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/store.h"

namespace tailor::importer {

struct DemoOptions {
  int users = 1000;
  int items = 300;
  int days = 60;
  uint64_t seed = 7;
};

struct DemoSummary {
  int64_t users = 0;
  int64_t items = 0;
  int64_t events = 0;
};

// Writes the tenant's data; events end at `now`.
absl::StatusOr<DemoSummary> GenerateDemo(storage::Store& store, domain::TenantId tenant,
                                         const DemoOptions& options, absl::Time now);

}  // namespace tailor::importer

#endif  // TAILOR_IMPORTER_DEMO_DATA_H_
