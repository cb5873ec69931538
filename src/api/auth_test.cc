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
  store->reset();
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tailor::api
