// API keys: generation, hashing and lookup. A key is "tk_" + 40 random
// base32 characters; only its SHA-256 is stored. The authenticator caches
// lookups so a request costs one hash and one map probe.
//
//   std::string secret = GenerateApiKey();
//   store.PutApiKey({HashApiKey(secret), KeyPrefix(secret), tenant, Role::kAdmin, now});
//   absl::StatusOr<Principal> who = auth.Authenticate("Bearer " + secret);
#ifndef TAILOR_API_AUTH_H_
#define TAILOR_API_AUTH_H_

#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
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

struct Principal {
  domain::TenantId tenant_id = 0;
  domain::Role role = domain::Role::kRead;
};

class Authenticator {
 public:
  explicit Authenticator(storage::Store& store) : store_(store) {}
  // `authorization` is the raw header value. Unauthenticated when it is
  // missing, malformed or names no key.
  absl::StatusOr<Principal> Authenticate(std::string_view authorization);

 private:
  storage::Store& store_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Principal> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tailor::api

#endif  // TAILOR_API_AUTH_H_
