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

TEST(StoreRetentionTest, SqliteChangeLogForgetsEntriesPastItsRetention) {
  ExpectChangeLogTrimmedPastItsRetention("sqlite://" + ::testing::TempDir() + "/retention_" + std::to_string(::getpid()) + ".db");
}

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

TEST(SqliteStoreTest, RecordsWrittenBeforeCreatedAtWasKeptTakeTheirUpdateTime) {
  std::string path = ::testing::TempDir() + "/v2_" + std::to_string(::getpid()) + ".db";
  {
    // A data file of schema version 2, whose records had no created_at.
    auto conn = sqlite::Connection::Open(path, "full");
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE records (tenant_id INTEGER NOT NULL, collection TEXT "
                              "NOT NULL, record_id TEXT NOT NULL, doc TEXT NOT NULL, updated_at "
                              "INTEGER NOT NULL, PRIMARY KEY (tenant_id, collection, record_id))")
                    .ok());
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE tenants (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
                              "UNIQUE, created_at INTEGER NOT NULL)")
                    .ok());
    ASSERT_TRUE((*conn)->Exec("INSERT INTO records VALUES (1, 'templates', 'old', '{}', 5000000)").ok());
    ASSERT_TRUE((*conn)->Exec("PRAGMA user_version = 2").ok());
  }
  auto store = SqliteStore::Open(path, {});
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<Record> old = (*store)->GetRecord(1, "templates", "old");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->created_at, absl::FromUnixSeconds(5));
  store->reset();
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
