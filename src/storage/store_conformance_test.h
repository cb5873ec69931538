// The Store conformance suite: every backend must pass these tests unchanged.
// A backend's test file instantiates it with a factory that opens a store
// whose state lives under a given directory (reopening the same directory
// must see the same data):
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//       ::testing::Values(StoreFactory{"sqlite", [](const std::string& dir) {...}}));
#ifndef TAILOR_STORAGE_STORE_CONFORMANCE_TEST_H_
#define TAILOR_STORAGE_STORE_CONFORMANCE_TEST_H_

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

#include "storage/store.h"

namespace tailor::storage {

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};
inline std::ostream& operator<<(std::ostream& os, const StoreFactory& f) { return os << f.name; }

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tailor_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
    tenant_ = store_->EnsureTenant("acme").value().id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    store_ = GetParam().open(dir_.string());
    ASSERT_NE(store_, nullptr);
  }

  static domain::User MakeUser(std::string id, absl::Time at = absl::FromUnixSeconds(1000)) {
    domain::User u;
    u.id = std::move(id);
    u.timezone = "Europe/Paris";
    u.attributes["plan"] = "pro";
    u.consent["email"]["marketing"] = true;
    u.updated_at = at;
    return u;
  }
  static domain::Event MakeEvent(std::string user, std::string item, int64_t ts,
                                 std::string event_id = "") {
    domain::Event e;
    e.user_id = std::move(user);
    e.item_id = std::move(item);
    e.type = "click";
    e.timestamp = absl::FromUnixSeconds(ts);
    e.event_id = std::move(event_id);
    return e;
  }
  WriteResult Write(WriteBatch batch, TenantId tenant = 0) {
    auto r = store_->WriteSync(tenant == 0 ? tenant_ : tenant, std::move(batch));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : WriteResult{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  TenantId tenant_ = 0;
};

TEST_P(StoreConformanceTest, EnsureTenantIsIdempotent) {
  auto again = store_->EnsureTenant("acme");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, tenant_);
  auto other = store_->EnsureTenant("globex");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id, tenant_);
  EXPECT_EQ(store_->ListTenants()->size(), 2u);
  EXPECT_EQ(store_->GetTenant(tenant_)->name, "acme");
  EXPECT_EQ(store_->GetTenant(9999).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, UserRoundTripAndUpsertKeepsCreatedAt) {
  WriteBatch b1;
  b1.PutUser(MakeUser("u1", absl::FromUnixSeconds(1000)));
  EXPECT_EQ(Write(std::move(b1)).upserted, 1);
  auto u = store_->GetUser(tenant_, "u1");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->timezone, "Europe/Paris");
  EXPECT_TRUE(u->consent["email"]["marketing"]);
  EXPECT_EQ(u->attributes.at("plan").as_string(), "pro");

  domain::User changed = MakeUser("u1", absl::FromUnixSeconds(2000));
  changed.timezone = "Asia/Tokyo";
  WriteBatch b2;
  b2.PutUser(changed);
  b2.PutUser(MakeUser("u2", absl::FromUnixSeconds(2000)));
  WriteResult r2 = Write(std::move(b2));
  // The write tells when each put document was first stored.
  EXPECT_EQ(r2.created_at,
            (std::vector<absl::Time>{absl::FromUnixSeconds(1000), absl::FromUnixSeconds(2000)}));
  u = store_->GetUser(tenant_, "u1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->timezone, "Asia/Tokyo");
  EXPECT_EQ(u->created_at, absl::FromUnixSeconds(1000));
  EXPECT_EQ(u->updated_at, absl::FromUnixSeconds(2000));
  EXPECT_EQ(store_->GetUser(tenant_, "nobody").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, DeleteUserRemovesUserAndEvents) {
  WriteBatch b;
  b.PutUser(MakeUser("u1"));
  b.AppendEvents({MakeEvent("u1", "i1", 10), MakeEvent("u1", "i2", 11), MakeEvent("u2", "i1", 12)});
  Write(std::move(b));
  WriteBatch del;
  del.DeleteUser("u1");
  WriteResult r = Write(std::move(del));
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(r.events_deleted, 2);
  EXPECT_EQ(store_->GetUser(tenant_, "u1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListUserEvents(tenant_, "u1", "", 10)->rows.empty());
  EXPECT_EQ(*store_->CountEvents(tenant_), 1);
  WriteBatch again;
  again.DeleteUser("u1");
  EXPECT_EQ(Write(std::move(again)).deleted, 0);
}

TEST_P(StoreConformanceTest, ItemsRoundTripAndDelete) {
  domain::Item item;
  item.id = "sku-1";
  item.title = "Blue shoes";
  item.categories = {"shoes"};
  item.expires_at = absl::FromUnixSeconds(5000);
  item.available = false;
  item.updated_at = absl::FromUnixSeconds(100);
  WriteBatch b;
  b.PutItem(item);
  Write(std::move(b));
  auto got = store_->GetItem(tenant_, "sku-1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->title, "Blue shoes");
  EXPECT_FALSE(got->available);
  EXPECT_EQ(*got->expires_at, absl::FromUnixSeconds(5000));
  WriteBatch del;
  del.DeleteItem("sku-1");
  EXPECT_EQ(Write(std::move(del)).deleted, 1);
  EXPECT_EQ(store_->GetItem(tenant_, "sku-1").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, ForEachItemVisitsEveryItemOnceInIdOrder) {
  WriteBatch b;
  for (const char* id : {"c", "a", "b"}) {
    domain::Item item;
    item.id = id;
    b.PutItem(item);
  }
  Write(std::move(b));
  std::vector<std::string> seen;
  ASSERT_TRUE(store_->ForEachItem(tenant_, [&](const domain::Item& i) { seen.push_back(i.id); }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_P(StoreConformanceTest, ListUsersPagesCoverEveryUserOnce) {
  WriteBatch b;
  for (int i = 0; i < 25; ++i) b.PutUser(MakeUser("user-" + std::to_string(100 + i)));
  Write(std::move(b));
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = store_->ListUsers(tenant_, cursor, 10);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& u : page->rows) seen.push_back(u.id);
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);
}

TEST_P(StoreConformanceTest, ForeignCursorIsInvalidArgument) {
  EXPECT_EQ(store_->ListUsers(tenant_, "not-a-cursor!", 10).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto items = store_->ListItems(tenant_, "", 10);
  ASSERT_TRUE(items.ok());
  // A users cursor is not an events cursor.
  WriteBatch b;
  for (int i = 0; i < 3; ++i) b.PutUser(MakeUser("u" + std::to_string(i)));
  Write(std::move(b));
  std::string users_cursor = store_->ListUsers(tenant_, "", 1)->next_cursor;
  ASSERT_FALSE(users_cursor.empty());
  EXPECT_EQ(store_->ListUserEvents(tenant_, "u1", users_cursor, 10).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(StoreConformanceTest, EventIdsMakeRetriesIdempotent) {
  WriteBatch b1;
  b1.AppendEvents({MakeEvent("u", "i", 10, "e1"), MakeEvent("u", "i", 11, "e2"),
                   MakeEvent("u", "i", 12, "e1"), MakeEvent("u", "i", 13)});
  WriteResult r1 = Write(std::move(b1));
  EXPECT_EQ(r1.events_accepted, 3);
  EXPECT_EQ(r1.events_duplicate, 1);
  EXPECT_EQ(r1.duplicate_events, std::vector<int64_t>{2});
  WriteBatch b2;
  b2.AppendEvents({MakeEvent("u", "i", 10, "e1"), MakeEvent("u", "i", 14, "e3"),
                   MakeEvent("u", "i", 13)});
  WriteResult r2 = Write(std::move(b2));
  EXPECT_EQ(r2.events_accepted, 2);  // e3 and the id-less event
  EXPECT_EQ(r2.events_duplicate, 1);
  EXPECT_EQ(r2.duplicate_events, std::vector<int64_t>{0});
  EXPECT_EQ(*store_->CountEvents(tenant_), 5);
}

TEST_P(StoreConformanceTest, UserEventsNewestFirstAcrossPages) {
  std::vector<domain::Event> events;
  for (int i = 0; i < 30; ++i) {
    domain::Event e = MakeEvent("u", "i" + std::to_string(i), 1000 + i / 3);  // ties in ts
    e.value = i;
    e.context["channel"] = "push";
    events.push_back(e);
  }
  WriteBatch b;
  b.AppendEvents(events);
  Write(std::move(b));
  std::vector<double> order;
  std::string cursor;
  do {
    auto page = store_->ListUserEvents(tenant_, "u", cursor, 7);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->rows) {
      order.push_back(*e.value);
      EXPECT_EQ(e.context.at("channel").as_string(), "push");
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  ASSERT_EQ(order.size(), 30u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], 29 - static_cast<double>(i));
}

TEST_P(StoreConformanceTest, TenantsNeverSeeEachOther) {
  TenantId other = store_->EnsureTenant("globex")->id;
  WriteBatch b;
  b.PutUser(MakeUser("shared-id"));
  b.AppendEvents({MakeEvent("shared-id", "i", 10, "e1")});
  domain::Item item;
  item.id = "item";
  b.PutItem(item);
  Write(std::move(b));
  EXPECT_EQ(store_->GetUser(other, "shared-id").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetItem(other, "item").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListUsers(other, "", 100)->rows.empty());
  EXPECT_TRUE(store_->ListItems(other, "", 100)->rows.empty());
  EXPECT_TRUE(store_->ListUserEvents(other, "shared-id", "", 100)->rows.empty());
  EXPECT_EQ(*store_->CountEvents(other), 0);
  // The same event_id in another tenant is not a duplicate.
  WriteBatch ob;
  ob.AppendEvents({MakeEvent("shared-id", "i", 10, "e1")});
  EXPECT_EQ(Write(std::move(ob), other).events_accepted, 1);
  // Deleting in one tenant leaves the other alone.
  WriteBatch del;
  del.DeleteUser("shared-id");
  Write(std::move(del), other);
  EXPECT_TRUE(store_->GetUser(tenant_, "shared-id").ok());
  EXPECT_EQ(*store_->CountEvents(tenant_), 1);
}

TEST_P(StoreConformanceTest, ApiKeys) {
  domain::ApiKey key{"abc123", "tk_abc", tenant_, domain::Role::kWrite, absl::FromUnixSeconds(5)};
  ASSERT_TRUE(store_->PutApiKey(key).ok());
  EXPECT_EQ(store_->PutApiKey(key).code(), absl::StatusCode::kAlreadyExists);
  auto found = store_->FindApiKey("abc123");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->role, domain::Role::kWrite);
  EXPECT_EQ(found->tenant_id, tenant_);
  EXPECT_EQ(store_->FindApiKey("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*store_->CountApiKeys(), 1);
}

TEST_P(StoreConformanceTest, ConcurrentWritersAllCommitAndSurviveReopen) {
  constexpr int kThreads = 8, kPerThread = 100;
  std::atomic<int> ok{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        WriteBatch b;
        b.AppendEvents({MakeEvent("u" + std::to_string(t), "i", 100 + i,
                                  "t" + std::to_string(t) + "-" + std::to_string(i))});
        store_->Write(tenant_, std::move(b), [&](absl::StatusOr<WriteResult> r) {
          if (r.ok() && r->events_accepted == 1) ok++;
          done++;
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  while (done.load() < kThreads * kPerThread) std::this_thread::yield();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  Reopen();
  EXPECT_EQ(*store_->CountEvents(tenant_), kThreads * kPerThread);
  int scanned = 0;
  int64_t last_seq = 0;
  ASSERT_TRUE(store_
                  ->ScanEvents(tenant_,
                               [&](const domain::Event& e) {
                                 EXPECT_GT(e.seq, last_seq);
                                 last_seq = e.seq;
                                 ++scanned;
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(scanned, kThreads * kPerThread);
}

TEST_P(StoreConformanceTest, PingAndEmptyTenantQueries) {
  EXPECT_TRUE(store_->Ping().ok());
  EXPECT_EQ(*store_->CountEvents(tenant_), 0);
  EXPECT_TRUE(store_->ListUserEvents(tenant_, "ghost", "", 10)->rows.empty());
}

TEST_P(StoreConformanceTest, RecordsRoundTripPageScanDeleteAndStayInTheirTenant) {
  const TenantId other = store_->EnsureTenant("other").value().id;
  WriteBatch batch;
  for (int i = 0; i < 5; ++i) {
    batch.PutRecord("templates", "t" + std::to_string(i), "{\"n\":" + std::to_string(i) + "}",
                    absl::FromUnixSeconds(100 + i));
  }
  batch.PutRecord("decisions", "t0", "{\"kind\":\"decision\"}", absl::FromUnixSeconds(1));
  ASSERT_TRUE(store_->WriteSync(tenant_, std::move(batch)).ok());
  WriteBatch replace;
  replace.PutRecord("templates", "t1", "{\"n\":11}", absl::FromUnixSeconds(200));
  absl::StatusOr<WriteResult> replaced = store_->WriteSync(tenant_, std::move(replace));
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->created_at, std::vector<absl::Time>{absl::FromUnixSeconds(101)});

  absl::StatusOr<Record> t1 = store_->GetRecord(tenant_, "templates", "t1");
  ASSERT_TRUE(t1.ok()) << t1.status();
  EXPECT_EQ(t1->doc, "{\"n\":11}");
  EXPECT_EQ(t1->updated_at, absl::FromUnixSeconds(200));
  EXPECT_EQ(t1->created_at, absl::FromUnixSeconds(101));
  EXPECT_EQ(store_->GetRecord(tenant_, "decisions", "t0")->doc, "{\"kind\":\"decision\"}");
  EXPECT_TRUE(absl::IsNotFound(store_->GetRecord(other, "templates", "t1").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetRecord(tenant_, "templates", "t9").status()));

  std::vector<std::string> ids;
  std::string cursor;
  do {
    absl::StatusOr<Page<Record>> page = store_->ListRecords(tenant_, "templates", cursor, 2);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const Record& r : page->rows) ids.push_back(r.id);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(ids, (std::vector<std::string>{"t0", "t1", "t2", "t3", "t4"}));
  EXPECT_TRUE(absl::IsInvalidArgument(
      store_->ListRecords(tenant_, "decisions", store_->ListRecords(tenant_, "templates", "", 1)
                                                    ->next_cursor, 1)
          .status()));

  WriteBatch del;
  del.DeleteRecord("templates", "t2");
  del.DeleteRecord("templates", "absent");
  absl::StatusOr<WriteResult> deleted = store_->WriteSync(tenant_, std::move(del));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->deleted, 1);
  Reopen();
  int scanned = 0;
  ASSERT_TRUE(store_->ScanRecords(tenant_, "templates", [&](const Record& r) {
    EXPECT_NE(r.id, "t2");
    ++scanned;
    return true;
  }).ok());
  EXPECT_EQ(scanned, 4);
  EXPECT_TRUE(store_->ListRecords(other, "templates", "", 10)->rows.empty());
}

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_STORE_CONFORMANCE_TEST_H_
