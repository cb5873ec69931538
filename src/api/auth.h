// API keys: generation, hashing and lookup. A key is "tk_" + 40 random
// base32 characters; only its SHA-256 is stored. The authenticator caches
// lookups so a request costs one hash and one map probe.
//
//   std::string secret = GenerateApiKey();
//   store.PutApiKey({HashApiKey(secret), KeyPrefix(secret), tenant, Role::kAdmin, now});
//   absl::StatusOr<Principal> who = auth.Authenticate("Bearer " + secret);
#ifndef TAILOR_API_AUTH_H_
#define TAILOR_API_AUTH_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "domain/tenant.h"
#include "storage/store.h"

namespace tailor::api {

// A fresh secret from OpenSSL's CSPRNG.
std::string GenerateApiKey();
// Lower-case hex SHA-256 of the secret.
std::string HashApiKey(std::string_view secret);
// The first characters of the secret, safe to show in listings and logs.
std::string KeyPrefix(std::string_view secret);

// Creates a key for `tenant_name` (creating the tenant if needed) and returns
// its secret, which is not stored anywhere.
absl::StatusOr<std::string> CreateApiKey(storage::Store& store, std::string_view tenant_name,
                                         domain::Role role);

// Revocations are records of this collection, id = the key's hash, doc
// {"prefix", "revoked_at", "revoke_at"}: written through the change log, so
// every node's Authenticator learns of them as it follows the log (within
// the feed's delay, well under a second). `revoke_at` is when the key stops
// working: the write's time for a revocation, later for a rotation's
// overlap.
inline constexpr char kRevokedKeysCollection[] = "api_key_revocations";
// When each key was last used, id = the key's hash, doc {"last_used_at"}:
// written by the node that saw the use, at most every kKeyUsageInterval.
inline constexpr char kKeyUsageCollection[] = "api_key_usage";
inline constexpr absl::Duration kKeyUsageInterval = absl::Minutes(5);

// When a revocation record (its JSON text) says the key stops working:
// `revoke_at`, else `revoked_at` (records of earlier versions), else
// `fallback` when the record holds neither.
absl::Time RevocationTime(std::string_view doc_text, absl::Time fallback);

// The write that revokes the key whose hash is `key_hash` at `revoke_at`
// (default: now). NotFound when there is no such key, or when `tenant` is
// set and the key belongs to another tenant. Revoking twice is not an
// error; the earlier time wins. The write is conditional on the revocation
// record as read: it fails with Aborted when another revocation of the key
// landed in between (read again and retry).
absl::StatusOr<storage::WriteBatch> RevocationOfHash(storage::Store& store,
                                                     std::string_view key_hash, absl::Time now,
                                                     std::optional<domain::TenantId> tenant,
                                                     std::optional<absl::Time> revoke_at = {});
// The same for the key `secret`.
absl::StatusOr<storage::WriteBatch> RevocationOf(storage::Store& store, std::string_view secret,
                                                 absl::Time now,
                                                 std::optional<domain::TenantId> tenant);
// RevocationOf, written (tools without a server).
absl::Status RevokeApiKey(storage::Store& store, std::string_view secret, absl::Time now);

struct Principal {
  domain::TenantId tenant_id = 0;
  domain::Role role = domain::Role::kRead;
};

// Thread-safe.
class Authenticator {
 public:
  explicit Authenticator(storage::Store& store, Clock& clock = Clock::Real())
      : store_(store), clock_(clock) {}
  // `authorization` is the raw header value. Unauthenticated when it is
  // missing, malformed, names no key, or one whose revocation time passed.
  // Records the use (kKeyUsageCollection, written in the background).
  absl::StatusOr<Principal> Authenticate(std::string_view authorization);
  // A change-feed subscriber: learns the revocations in `change`.
  void ApplyChange(const storage::Change& change);

 private:
  struct Cached {
    Principal principal;
    absl::Time revoke_at = absl::InfiniteFuture();
  };
  void RecordUse(const std::string& hash, domain::TenantId tenant, absl::Time now);

  storage::Store& store_;
  Clock& clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
  // Revocation times learned since start (a revocation is final), so a
  // lookup that raced with the revocation cannot cache the key as valid.
  absl::flat_hash_map<std::string, absl::Time> revoked_ ABSL_GUARDED_BY(mu_);
  // When this node last wrote each key's use.
  absl::flat_hash_map<std::string, absl::Time> use_written_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tailor::api

#endif  // TAILOR_API_AUTH_H_
