// Leases: a named lock with an expiry, held by at most one holder at a time
// across every process that shares the store (one trainer per tenant, one
// runner per campaign). Built on the store's compare-and-set records
// (collection "_leases"), so every backend that passes the conformance suite
// supports them.
//
//   Leases leases(store, clock);
//   if (*leases.TryAcquire(tenant, "trainer", node_id, absl::Seconds(30))) {
//     ... work, calling TryAcquire again well before the lease expires ...
//   }
//
// Expiry is judged by each caller's clock: holders must renew well within
// the ttl, and the nodes' clocks must agree to a small fraction of it.
// Thread-safety: safe to call from any thread (state lives in the store).
#ifndef TAILOR_STORAGE_LEASE_H_
#define TAILOR_STORAGE_LEASE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "storage/store.h"

namespace tailor::storage {

inline constexpr char kLeasesCollection[] = "_leases";

struct LeaseInfo {
  std::string holder;
  absl::Time expires_at;
};

class Leases {
 public:
  Leases(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Takes `name` for `holder` until now + `ttl` when it is free, expired, or
  // already `holder`'s (a renewal). True when `holder` holds it afterwards;
  // false when another holder's lease is still live or another caller won
  // the race for it. Errors come only from the store.
  absl::StatusOr<bool> TryAcquire(TenantId tenant, std::string_view name, std::string_view holder,
                                  absl::Duration ttl);
  // Gives `name` up when `holder` holds it; OK when it does not.
  absl::Status Release(TenantId tenant, std::string_view name, std::string_view holder);
  // The live holder; NotFound when the lease is free or expired.
  absl::StatusOr<LeaseInfo> Holder(TenantId tenant, std::string_view name);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_LEASE_H_
