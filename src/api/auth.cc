#include "api/auth.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/strings.h"
#include "domain/validation.h"

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

absl::Time RevocationTime(std::string_view doc_text, absl::Time fallback) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(doc_text, ec);
  if (ec || !doc.is_object()) return fallback;
  for (const char* field : {"revoke_at", "revoked_at"}) {
    const boost::json::value* v = doc.get_object().if_contains(field);
    if (v == nullptr || !v->is_string()) continue;
    if (absl::StatusOr<absl::Time> t = domain::ParseRfc3339(View(v->get_string())); t.ok()) {
      return *t;
    }
  }
  return fallback;
}

absl::StatusOr<storage::WriteBatch> RevocationOfHash(storage::Store& store,
                                                     std::string_view key_hash, absl::Time now,
                                                     std::optional<domain::TenantId> tenant,
                                                     std::optional<absl::Time> revoke_at) {
  absl::StatusOr<domain::ApiKey> key = store.FindApiKey(key_hash);
  if (!key.ok()) return key.status();
  if (tenant && *tenant != key->tenant_id) return absl::NotFoundError("no such API key");
  absl::Time at = revoke_at.value_or(now);
  // Revoking again never postpones an earlier revocation.
  absl::StatusOr<storage::Record> earlier =
      store.GetRecord(key->tenant_id, kRevokedKeysCollection, key_hash);
  if (earlier.ok()) {
    at = std::min(at, RevocationTime(earlier->doc, at));
  } else if (!absl::IsNotFound(earlier.status())) {
    return earlier.status();
  }
  // Conditional on the record read above: two revocations racing cannot
  // leave the later time stored (the loser's write is Aborted).
  storage::WriteBatch batch;
  batch.PutRecordIf(
      kRevokedKeysCollection, std::string(key_hash),
      boost::json::serialize(boost::json::object{{"prefix", key->prefix},
                                                 {"revoked_at", domain::FormatRfc3339(now)},
                                                 {"revoke_at", domain::FormatRfc3339(at)}}),
      now, earlier.ok() ? earlier->version : 0);
  return batch;
}

absl::StatusOr<storage::WriteBatch> RevocationOf(storage::Store& store, std::string_view secret,
                                                 absl::Time now,
                                                 std::optional<domain::TenantId> tenant) {
  return RevocationOfHash(store, HashApiKey(secret), now, tenant);
}

absl::Status RevokeApiKey(storage::Store& store, std::string_view secret, absl::Time now) {
  absl::StatusOr<domain::ApiKey> key = store.FindApiKey(HashApiKey(secret));
  if (!key.ok()) return key.status();
  absl::Status written;
  for (int attempt = 0; attempt < 5; ++attempt) {
    absl::StatusOr<storage::WriteBatch> batch = RevocationOf(store, secret, now, key->tenant_id);
    if (!batch.ok()) return batch.status();
    written = store.WriteSync(key->tenant_id, *std::move(batch)).status();
    if (!absl::IsAborted(written)) break;  // else another revocation landed first: again
  }
  return written;
}

void Authenticator::ApplyChange(const storage::Change& change) {
  for (const storage::WriteBatch::Op& op : change.batch.ops()) {
    const auto* put = std::get_if<storage::WriteBatch::PutRecordOp>(&op);
    if (put == nullptr || put->collection != kRevokedKeysCollection) continue;
    const absl::Time at = RevocationTime(put->doc, clock_.Now());
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = revoked_.emplace(put->id, at);
    if (!inserted) it->second = std::min(it->second, at);
    if (auto cached = cache_.find(put->id); cached != cache_.end()) {
      cached->second.revoke_at = it->second;
    }
  }
}

absl::StatusOr<Principal> Authenticator::Authenticate(std::string_view authorization) {
  auto unauthenticated = [](std::string_view message) {
    return absl::UnauthenticatedError(std::string(message));
  };
  if (authorization.empty()) {
    return unauthenticated("missing; send Authorization: Bearer <api key>");
  }
  // RFC 7235: the scheme is case-insensitive and one or more spaces follow it.
  constexpr std::string_view kBearer = "bearer";
  if (authorization.size() <= kBearer.size() + 1 ||
      !absl::EqualsIgnoreCase(absl::string_view(authorization.data(), kBearer.size()),
                              absl::string_view(kBearer.data(), kBearer.size())) ||
      authorization[kBearer.size()] != ' ') {
    return unauthenticated("must be \"Bearer <api key>\"");
  }
  std::string_view secret = authorization.substr(kBearer.size());
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  if (secret.empty()) return unauthenticated("must be \"Bearer <api key>\"");
  if (secret.size() > 256) return unauthenticated("invalid API key");
  const absl::Time now = clock_.Now();
  std::string hash = HashApiKey(secret);
  {
    std::optional<Principal> cached;
    bool use_due = false;
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = cache_.find(hash);
      if (it != cache_.end()) {
        if (now >= it->second.revoke_at) return unauthenticated("API key revoked");
        cached = it->second.principal;
        auto written = use_written_.find(hash);
        use_due = written == use_written_.end() || now - written->second >= kKeyUsageInterval;
      }
    }
    if (cached) {
      // No store read on this path: keys keep working while the store is away.
      if (use_due) RecordUse(hash, cached->tenant_id, now);
      return *cached;
    }
  }
  absl::StatusOr<domain::ApiKey> key = store_.FindApiKey(hash);
  if (!key.ok()) {
    if (absl::IsNotFound(key.status())) return unauthenticated("invalid API key");
    return key.status();
  }
  // Revoked before this process started (or by a change not yet applied):
  // the revocation record says so.
  absl::Time revoke_at = absl::InfiniteFuture();
  absl::StatusOr<storage::Record> revoked =
      store_.GetRecord(key->tenant_id, kRevokedKeysCollection, hash);
  if (revoked.ok()) {
    revoke_at = RevocationTime(revoked->doc, now);
  } else if (!absl::IsNotFound(revoked.status())) {
    return revoked.status();
  }
  Principal p{key->tenant_id, key->role};
  {
    absl::MutexLock lock(&mu_);
    if (auto it = revoked_.find(hash); it != revoked_.end()) {
      revoke_at = std::min(revoke_at, it->second);
    }
    cache_[hash] = Cached{p, revoke_at};
  }
  if (now >= revoke_at) return unauthenticated("API key revoked");
  RecordUse(hash, p.tenant_id, now);
  return p;
}

void Authenticator::RecordUse(const std::string& hash, domain::TenantId tenant, absl::Time now) {
  {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = use_written_.emplace(hash, now);
    if (!inserted) {
      if (now - it->second < kKeyUsageInterval) return;
      it->second = now;
    }
  }
  storage::WriteBatch batch;
  batch.PutRecord(
      kKeyUsageCollection, hash,
      boost::json::serialize(boost::json::object{{"last_used_at", domain::FormatRfc3339(now)}}),
      now);
  // In the background: a request never waits for its key's bookkeeping.
  store_.Write(tenant, std::move(batch), [](absl::StatusOr<storage::WriteResult>) {});
}

}  // namespace tailor::api
