// The Store conformance suite and PostgreSQL-specific behaviour, against a
// real PostgreSQL server that ctest starts on loopback (fixture `postgres`,
// scripts/test-postgres.sh). Each test gets its own database.
#include "storage/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "absl/strings/match.h"

#include "storage/change_feed.h"
#include "storage/postgres/test_server_for_test.h"
#include "storage/store_conformance_test.h"
#include "storage/store_url.h"

namespace tailor::storage {
namespace {

// The URL of a database named after `key`, created on first use.
std::string DatabaseUrl(const std::string& key) {
  const std::string server = TestPostgresUrl();
  const std::string name = "t" + std::to_string(std::hash<std::string>{}(key));
  auto admin = pg::Connection::Open(server);
  EXPECT_TRUE(admin.ok()) << admin.status();
  if (admin.ok()) {
    absl::Status s = (*admin)->Exec("CREATE DATABASE " + name);
    EXPECT_TRUE(s.ok() || absl::StrContains(s.message(), "already exists")) << s;
  }
  return server.substr(0, server.rfind('/') + 1) + name;
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"postgres", [](const std::string& dir) {
                           auto store = OpenStore(DatabaseUrl(dir) + "?pool_size=4");
                           EXPECT_TRUE(store.ok()) << store.status();
                           return store.ok() ? std::move(*store) : nullptr;
                         }}),
                         [](const auto& info) { return info.param.name; });

TEST(StoreRetentionTest, PostgresChangeLogForgetsEntriesPastItsRetention) {
  ExpectChangeLogTrimmedPastItsRetention(DatabaseUrl("retention"));
}

TEST(PostgresStoreTest, UrlOptionsAreChecked) {
  EXPECT_EQ(OpenStore("postgres://127.0.0.1/x?pool_size=0").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("postgresql://127.0.0.1/x?pool_size=many").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PostgresStoreTest, ErrorsNeverEchoTheUrl) {
  auto store = OpenStore("pgsql://tailor:secret@127.0.0.1/x");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(absl::StrContains(store.status().message(), "secret"));
}

TEST(PostgresStoreTest, LoggedUrlsHideThePassword) {
  EXPECT_EQ(RedactStoreUrl("postgres://tailor:s3cret@db:5432/t?sslmode=require"),
            "postgres://tailor:***@db:5432/t?sslmode=require");
  EXPECT_EQ(RedactStoreUrl("postgres://db/t?password=s3cret&pool_size=4"),
            "postgres://db/t?password=***&pool_size=4");
  EXPECT_EQ(RedactStoreUrl("sqlite:///var/tailor.db"), "sqlite:///var/tailor.db");
}

TEST(PostgresStoreTest, RefusesNewerSchema) {
  const std::string url = DatabaseUrl("newer-schema");
  ASSERT_TRUE(OpenStore(url).ok());
  {
    auto c = pg::Connection::Open(url);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Exec("UPDATE tailor_schema SET version = 999").ok());
  }
  EXPECT_EQ(OpenStore(url).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(PostgresStoreTest, TwoProcessesShareOneDatabase) {
  // Two stores on one database behave as two nodes: each sees the other's
  // committed writes, tenants and keys.
  const std::string url = DatabaseUrl("two-nodes");
  auto a = OpenStore(url);
  auto b = OpenStore(url);
  ASSERT_TRUE(a.ok() && b.ok());
  const TenantId ta = (*a)->EnsureTenant("shop")->id;
  EXPECT_EQ((*b)->EnsureTenant("shop")->id, ta);
  domain::Item item;
  item.id = "sku-1";
  item.updated_at = absl::FromUnixSeconds(10);
  WriteBatch batch;
  batch.PutItem(item);
  ASSERT_TRUE((*a)->WriteSync(ta, std::move(batch)).ok());
  EXPECT_TRUE((*b)->GetItem(ta, "sku-1").ok());
}

TEST(PostgresStoreTest, ChangeFeedDeliversWritesOfAnotherNode) {
  const std::string url = DatabaseUrl("feed-two-nodes");
  auto a = OpenStore(url);
  auto b = OpenStore(url);
  ASSERT_TRUE(a.ok() && b.ok());
  const TenantId t = (*a)->EnsureTenant("shop")->id;
  ChangeFeed feed(**b, {.poll_interval = absl::Milliseconds(20)});
  absl::Mutex mu;
  std::vector<std::string> seen;
  feed.Subscribe("serving", [&](const Change& c) {
    absl::MutexLock lock(&mu);
    for (const WriteBatch::Op& op : c.batch.ops()) {
      if (const auto* put = std::get_if<WriteBatch::PutDoc>(&op)) seen.push_back(put->id);
    }
  });
  feed.Start(*(*b)->LastChangePosition());
  int64_t last = 0;
  for (int i = 0; i < 5; ++i) {
    domain::Item item;
    item.id = "sku-" + std::to_string(i);
    item.updated_at = absl::FromUnixSeconds(10);
    WriteBatch batch;
    batch.PutItem(item);
    last = (*a)->WriteSync(t, std::move(batch))->change_position;  // node A writes
  }
  ASSERT_TRUE(feed.WaitDelivered(last, absl::Seconds(10)));  // node B's feed delivers
  absl::MutexLock lock(&mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"sku-0", "sku-1", "sku-2", "sku-3", "sku-4"}));
}

TEST(PostgresStoreTest, WriterReconnectsAfterTheServerDropsItsConnection) {
  const std::string url = DatabaseUrl("reconnect");
  auto store = OpenStore(url);
  ASSERT_TRUE(store.ok());
  const TenantId t = (*store)->EnsureTenant("t")->id;
  auto write = [&](const std::string& id) {
    domain::Event e;
    e.user_id = "u";
    e.item_id = id;
    e.type = "click";
    e.event_id = id;
    e.timestamp = absl::FromUnixSeconds(100);
    WriteBatch batch;
    batch.AppendEvents({e});
    return (*store)->WriteSync(t, std::move(batch));
  };
  ASSERT_TRUE(write("e1").ok());
  {
    // Ends every other session on this database, the store's writer included.
    auto admin = pg::Connection::Open(url);
    ASSERT_TRUE(admin.ok());
    ASSERT_TRUE((*admin)
                    ->Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                           "datname = current_database() AND pid <> pg_backend_pid()")
                    .ok());
  }
  auto r = write("e2");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->events_accepted, 1);
  EXPECT_EQ(*(*store)->CountEvents(t), 2);
}

}  // namespace
}  // namespace tailor::storage
