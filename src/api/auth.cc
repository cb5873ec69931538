#include "api/auth.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <boost/json.hpp>

#include "absl/time/clock.h"

namespace tailor::api {

std::string GenerateApiKey() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  unsigned char bytes[40];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();
  std::string key = "tk_";
  for (unsigned char b : bytes) key.push_back(kAlphabet[b & 31]);
  return key;
}

std::string HashApiKey(std::string_view secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string KeyPrefix(std::string_view secret) { return std::string(secret.substr(0, 10)); }

absl::StatusOr<std::string> CreateApiKey(storage::Store& store, std::string_view tenant_name,
                                         domain::Role role) {
  absl::StatusOr<domain::Tenant> tenant = store.EnsureTenant(tenant_name);
  if (!tenant.ok()) return tenant.status();
  std::string secret = GenerateApiKey();
  domain::ApiKey key{HashApiKey(secret), KeyPrefix(secret), tenant->id, role, absl::Now()};
  if (absl::Status s = store.PutApiKey(key); !s.ok()) return s;
  return secret;
}

absl::StatusOr<storage::WriteBatch> RevocationOf(storage::Store& store, std::string_view secret,
                                                 absl::Time now,
                                                 std::optional<domain::TenantId> tenant) {
  const std::string hash = HashApiKey(secret);
  absl::StatusOr<domain::ApiKey> key = store.FindApiKey(hash);
  if (!key.ok()) return key.status();
  if (tenant && *tenant != key->tenant_id) return absl::NotFoundError("no such API key");
  storage::WriteBatch batch;
  batch.PutRecord(
      kRevokedKeysCollection, hash,
      boost::json::serialize(boost::json::object{
          {"prefix", key->prefix},
          {"revoked_at", absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone())}}),
      now);
  return batch;
}

absl::Status RevokeApiKey(storage::Store& store, std::string_view secret, absl::Time now) {
  absl::StatusOr<domain::ApiKey> key = store.FindApiKey(HashApiKey(secret));
  if (!key.ok()) return key.status();
  absl::StatusOr<storage::WriteBatch> batch = RevocationOf(store, secret, now, key->tenant_id);
  if (!batch.ok()) return batch.status();
  return store.WriteSync(key->tenant_id, *std::move(batch)).status();
}

void Authenticator::ApplyChange(const storage::Change& change) {
  for (const storage::WriteBatch::Op& op : change.batch.ops()) {
    const auto* put = std::get_if<storage::WriteBatch::PutRecordOp>(&op);
    if (put == nullptr || put->collection != kRevokedKeysCollection) continue;
    absl::MutexLock lock(&mu_);
    cache_.erase(put->id);
    revoked_.insert(put->id);
  }
}

absl::StatusOr<Principal> Authenticator::Authenticate(std::string_view authorization) {
  auto unauthenticated = [](std::string_view message) {
    return absl::UnauthenticatedError(std::string(message));
  };
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty()) {
    return unauthenticated("missing; send Authorization: Bearer <api key>");
  }
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return unauthenticated("must be \"Bearer <api key>\"");
  }
  std::string_view secret = authorization.substr(kBearer.size());
  if (secret.size() > 256) return unauthenticated("invalid API key");
  std::string hash = HashApiKey(secret);
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end()) return it->second;
    if (revoked_.contains(hash)) return unauthenticated("API key revoked");
  }
  absl::StatusOr<domain::ApiKey> key = store_.FindApiKey(hash);
  if (!key.ok()) {
    if (absl::IsNotFound(key.status())) return unauthenticated("invalid API key");
    return key.status();
  }
  // Revoked before this process started (or by a change not yet applied):
  // the revocation record says so.
  absl::StatusOr<storage::Record> revoked =
      store_.GetRecord(key->tenant_id, kRevokedKeysCollection, hash);
  if (revoked.ok()) return unauthenticated("API key revoked");
  if (!absl::IsNotFound(revoked.status())) return revoked.status();
  Principal p{key->tenant_id, key->role};
  absl::MutexLock lock(&mu_);
  if (revoked_.contains(hash)) return unauthenticated("API key revoked");
  cache_.emplace(std::move(hash), p);
  return p;
}

}  // namespace tailor::api
