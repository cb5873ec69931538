// API key lifecycle over real HTTP: list, create, revoke (by secret or
// prefix), rotate with an overlap; a revoked key is refused within 1 s.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "e2e_support.h"

namespace tailor::e2e {
namespace {

namespace json = boost::json;

int StatusWith(uint16_t port, const std::string& key) {
  return Http(port, "GET", "/v1/users?limit=1", "", key).status;
}

// Polls until `key` is refused; returns how long it took.
std::chrono::milliseconds UntilRefused(uint16_t port, const std::string& key,
                                       std::chrono::milliseconds limit) {
  auto start = std::chrono::steady_clock::now();
  while (StatusWith(port, key) != 401) {
    if (std::chrono::steady_clock::now() - start > limit) return limit * 2;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

// The listing's entry for `prefix` (a copy: `list` is often a temporary).
std::optional<json::object> FindKey(const HttpResult& list, const std::string& prefix) {
  for (const auto& k : list.Json().at("keys").as_array()) {
    if (k.at("prefix").as_string() == prefix) return k.as_object();
  }
  return std::nullopt;
}

TEST(KeysE2eTest, ListCreateRevokeAndRotateWithOverlap) {
  TempDir dir;
  const std::string admin = CreateKey(dir.path(), "shop", "admin");
  const std::string other_tenant = CreateKey(dir.path(), "other", "admin");
  ServerProcess server(dir.path());
  const uint16_t port = server.port();

  HttpResult created = Http(port, "POST", "/v1/keys", R"({"role": "write"})", admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string writer(created.Json().at("key").as_string());
  const std::string writer_prefix(created.Json().at("prefix").as_string());
  EXPECT_EQ(created.Json().at("role"), "write");
  EXPECT_EQ(StatusWith(port, writer), 200);
  EXPECT_EQ(Http(port, "POST", "/v1/keys", R"({"role": "root"})", admin).status, 400);
  EXPECT_EQ(Http(port, "POST", "/v1/keys", R"({"role": "read"})", writer).status, 403);

  // The listing: no secrets; last use recorded shortly after a use.
  HttpResult list;
  std::optional<json::object> entry;
  for (int i = 0; i < 100; ++i) {
    list = Http(port, "GET", "/v1/keys", "", admin);
    ASSERT_EQ(list.status, 200) << list.body;
    entry = FindKey(list, writer_prefix);
    if (entry && !entry->at("last_used_at").is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(entry.has_value()) << list.body;
  EXPECT_EQ(entry->at("role"), "write");
  EXPECT_EQ(entry->at("status"), "active");
  EXPECT_FALSE(entry->at("created_at").is_null());
  EXPECT_FALSE(entry->at("last_used_at").is_null()) << list.body;
  EXPECT_EQ(list.body.find(writer), std::string::npos) << "a secret in the listing";
  EXPECT_EQ(list.Json().at("keys").as_array().size(), 2u);  // this tenant's only

  // Revoke by prefix: refused within 1 s. Another tenant cannot revoke it.
  EXPECT_EQ(Http(port, "POST", "/v1/keys/revoke", R"({"prefix": ")" + writer_prefix + R"("})",
                 other_tenant)
                .status,
            404);
  HttpResult revoked =
      Http(port, "POST", "/v1/keys/revoke", R"({"prefix": ")" + writer_prefix + R"("})", admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_LE(UntilRefused(port, writer, std::chrono::milliseconds(1000)),
            std::chrono::milliseconds(1000));
  entry = FindKey(Http(port, "GET", "/v1/keys", "", admin), writer_prefix);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->at("status"), "revoked");

  // Rotate with a 2 s overlap: both keys work, then the old one stops.
  HttpResult reader = Http(port, "POST", "/v1/keys", R"({"role": "read"})", admin);
  const std::string old_key(reader.Json().at("key").as_string());
  HttpResult rotated = Http(port, "POST", "/v1/keys/rotate",
                            R"({"key": ")" + old_key + R"(", "overlap_seconds": 2})", admin);
  ASSERT_EQ(rotated.status, 201) << rotated.body;
  const std::string new_key(rotated.Json().at("key").as_string());
  EXPECT_EQ(rotated.Json().at("role"), "read");
  EXPECT_NE(new_key, old_key);
  auto rotated_at = std::chrono::steady_clock::now();
  EXPECT_EQ(StatusWith(port, old_key), 200);
  EXPECT_EQ(StatusWith(port, new_key), 200);
  entry = FindKey(Http(port, "GET", "/v1/keys", "", admin),
                  std::string(rotated.Json().at("replaces").at("prefix").as_string()));
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->at("status"), "expiring");
  // Refused from the overlap's end, within 1 s.
  std::this_thread::sleep_until(rotated_at + std::chrono::milliseconds(1900));
  EXPECT_LE(UntilRefused(port, old_key, std::chrono::milliseconds(1200)),
            std::chrono::milliseconds(1200));
  EXPECT_EQ(StatusWith(port, new_key), 200);
  EXPECT_EQ(Http(port, "POST", "/v1/keys/rotate", R"({"key": "tk_nope"})", admin).status, 404);
  EXPECT_EQ(Http(port, "POST", "/v1/keys/rotate",
                 R"({"key": ")" + new_key + R"(", "overlap_seconds": -1})", admin)
                .status,
            400);
}

}  // namespace
}  // namespace tailor::e2e
