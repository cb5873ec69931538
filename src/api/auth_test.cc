#include "api/auth.h"

#include <gtest/gtest.h>

#include "storage/store_url.h"

namespace tailor::api {
namespace {

TEST(AuthTest, KeysAreRandomAndHashed) {
  std::string a = GenerateApiKey(), b = GenerateApiKey();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("tk_", 0), 0u);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(HashApiKey("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthTest, AuthenticatesAgainstTheStore) {
  std::string path = ::testing::TempDir() + "/auth_" + std::to_string(::getpid()) + ".db";
  auto store = storage::OpenStore("sqlite://" + path);
  ASSERT_TRUE(store.ok());
  auto secret = CreateApiKey(**store, "acme", domain::Role::kWrite);
  ASSERT_TRUE(secret.ok());
  Authenticator auth(**store);
  auto who = auth.Authenticate("Bearer " + *secret);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->role, domain::Role::kWrite);
  EXPECT_EQ(who->tenant_id, (*store)->EnsureTenant("acme")->id);
  EXPECT_TRUE(auth.Authenticate("Bearer " + *secret).ok());  // cached path
  EXPECT_EQ(auth.Authenticate("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Basic abc").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Bearer tk_wrong").status().code(),
            absl::StatusCode::kUnauthenticated);
  // RFC 7235: the scheme is case-insensitive; spaces may repeat.
  EXPECT_TRUE(auth.Authenticate("bearer " + *secret).ok());
  EXPECT_TRUE(auth.Authenticate("BEARER  " + *secret).ok());
  EXPECT_EQ(auth.Authenticate("Bearer").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Bearer   ").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Bearerx" + *secret).status().code(),
            absl::StatusCode::kUnauthenticated);
  store->reset();
  std::remove(path.c_str());
}

TEST(AuthTest, ARevokedKeyIsRefusedByACacheThatFollowsTheChangeLogAndAfterARestart) {
  std::string path = ::testing::TempDir() + "/revoke_" + std::to_string(::getpid()) + ".db";
  std::remove(path.c_str());
  auto store = storage::OpenStore("sqlite://" + path);
  ASSERT_TRUE(store.ok());
  auto revoked = CreateApiKey(**store, "acme", domain::Role::kWrite);
  auto kept = CreateApiKey(**store, "acme", domain::Role::kRead);
  auto other = CreateApiKey(**store, "globex", domain::Role::kAdmin);
  ASSERT_TRUE(revoked.ok() && kept.ok() && other.ok());
  Authenticator auth(**store);
  ASSERT_TRUE(auth.Authenticate("Bearer " + *revoked).ok());  // now cached
  const int64_t before = *(*store)->LastChangePosition();

  // Another tenant's admin cannot revoke it.
  const domain::TenantId globex = (*store)->EnsureTenant("globex")->id;
  EXPECT_TRUE(absl::IsNotFound(RevocationOf(**store, *revoked, absl::Now(), globex).status()));
  EXPECT_TRUE(absl::IsNotFound(RevokeApiKey(**store, "tk_no_such_key", absl::Now())));
  ASSERT_TRUE(RevokeApiKey(**store, *revoked, absl::Now()).ok());
  ASSERT_TRUE(RevokeApiKey(**store, *revoked, absl::Now()).ok());  // again: fine

  // The cache still holds the key until the change reaches it.
  EXPECT_TRUE(auth.Authenticate("Bearer " + *revoked).ok());
  auto changes = (*store)->ReadChanges(before, 100);
  ASSERT_TRUE(changes.ok());
  ASSERT_FALSE(changes->empty());
  for (const storage::Change& c : *changes) auth.ApplyChange(c);
  auto refused = auth.Authenticate("Bearer " + *revoked);
  EXPECT_TRUE(absl::IsUnauthenticated(refused.status())) << refused.status();
  EXPECT_TRUE(auth.Authenticate("Bearer " + *kept).ok());

  // A process that starts later reads the revocation from the store.
  Authenticator fresh(**store);
  EXPECT_TRUE(absl::IsUnauthenticated(fresh.Authenticate("Bearer " + *revoked).status()));
  EXPECT_TRUE(fresh.Authenticate("Bearer " + *kept).ok());
  EXPECT_TRUE(fresh.Authenticate("Bearer " + *other).ok());
  store->reset();
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tailor::api
