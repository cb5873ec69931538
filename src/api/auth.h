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
// {"prefix", "revoked_at"}: written through the change log, so every node's
// Authenticator learns of them as it follows the log (within the feed's
// delay, well under a second).
inline constexpr char kRevokedKeysCollection[] = "api_key_revocations";
// The write that revokes the key `secret`, for the key's tenant. NotFound
// when there is no such key, or when `tenant` is set and the key belongs to
// another tenant. Revoking twice is not an error.
absl::StatusOr<storage::WriteBatch> RevocationOf(storage::Store& store, std::string_view secret,
                                                 absl::Time now,
                                                 std::optional<domain::TenantId> tenant);
// RevocationOf, written (tools without a server).
absl::Status RevokeApiKey(storage::Store& store, std::string_view secret, absl::Time now);

struct Principal {
  domain::TenantId tenant_id = 0;
  domain::Role role = domain::Role::kRead;
};

class Authenticator {
 public:
  explicit Authenticator(storage::Store& store) : store_(store) {}
  // `authorization` is the raw header value. Unauthenticated when it is
  // missing, malformed, names no key or a revoked one.
  absl::StatusOr<Principal> Authenticate(std::string_view authorization);
  // A change-feed subscriber: forgets the keys that `change` revokes.
  void ApplyChange(const storage::Change& change);

 private:
  storage::Store& store_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Principal> cache_ ABSL_GUARDED_BY(mu_);
  // Hashes of keys revoked since start (a revocation is final), so a lookup
  // that raced with the revocation cannot cache the key again.
  absl::flat_hash_set<std::string> revoked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tailor::api

#endif  // TAILOR_API_AUTH_H_
