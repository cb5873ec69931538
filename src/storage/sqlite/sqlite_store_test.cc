#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include "storage/store_conformance_test.h"
#include "storage/store_url.h"

namespace tailor::storage {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"sqlite", [](const std::string& dir) {
                           auto store = OpenStore("sqlite://" + dir + "/tailor.db");
                           EXPECT_TRUE(store.ok()) << store.status();
                           return store.ok() ? std::move(*store) : nullptr;
                         }}),
                         [](const auto& info) { return info.param.name; });

TEST(StoreUrlTest, RejectsUnknownSchemes) {
  EXPECT_EQ(OpenStore("mysql://x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite://").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SqliteStoreTest, RefusesNewerSchema) {
  std::string path = ::testing::TempDir() + "/newer_" + std::to_string(::getpid()) + ".db";
  {
    auto conn = sqlite::Connection::Open(path, "full");
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec("PRAGMA user_version = 999").ok());
  }
  auto store = SqliteStore::Open(path, {});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  std::remove(path.c_str());
}

TEST(SqliteStoreTest, FullQueueIsResourceExhausted) {
  std::string path = ::testing::TempDir() + "/queue_" + std::to_string(::getpid()) + ".db";
  StoreOptions options;
  options.max_queued_writes = 0;
  auto store = SqliteStore::Open(path, options);
  ASSERT_TRUE(store.ok());
  WriteBatch b;
  domain::User u;
  u.id = "u";
  b.PutUser(u);
  EXPECT_EQ((*store)->WriteSync(1, std::move(b)).status().code(),
            absl::StatusCode::kResourceExhausted);
  store->reset();
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tailor::storage
