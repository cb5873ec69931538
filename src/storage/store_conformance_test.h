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

#include "common/clock.h"
#include "storage/lease.h"
#include "storage/store.h"
#include "storage/store_url.h"

namespace tailor::storage {

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};
inline std::ostream& operator<<(std::ostream& os, const StoreFactory& f) { return os << f.name; }

// For backends' own tests (the suite's factory takes no options): a store
// opened at `url` with no change-log retention forgets all but the newest
// change-log entry.
inline void ExpectChangeLogTrimmedPastItsRetention(const std::string& url) {
  StoreOptions options;
  options.change_log_retention = absl::ZeroDuration();      // everything is already too old
  options.change_log_trim_interval = absl::ZeroDuration();  // checked at every commit
  auto store = OpenStore(url, options);
  ASSERT_TRUE(store.ok()) << store.status();
  const TenantId t = (*store)->EnsureTenant("t")->id;
  WriteBatch batch;
  batch.PutRecord("templates", "a", "{}", absl::FromUnixSeconds(1));
  absl::StatusOr<WriteResult> r = (*store)->WriteSync(t, std::move(batch));
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->change_position, 0);
  WriteBatch second;
  second.PutRecord("templates", "b", "{}", absl::FromUnixSeconds(2));
  absl::StatusOr<WriteResult> r2 = (*store)->WriteSync(t, std::move(second));
  ASSERT_TRUE(r2.ok());
  EXPECT_GT(r2->change_position, r->change_position);
  // The second commit's check trimmed the first entry; the newest one is
  // always kept, so positions keep growing.
  absl::StatusOr<std::vector<Change>> left = (*store)->ReadChanges(0, 10);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().position, r2->change_position);
  EXPECT_TRUE((*store)->GetRecord(t, "templates", "a").ok());  // the data itself stays
}

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
  ASSERT_TRUE(
      store_->ForEachItem(tenant_, [&](const domain::Item& i) { seen.push_back(i.id); }).ok());
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
  b2.AppendEvents(
      {MakeEvent("u", "i", 10, "e1"), MakeEvent("u", "i", 14, "e3"), MakeEvent("u", "i", 13)});
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
  // Listing: a tenant's keys only, oldest first.
  const domain::TenantId other = store_->EnsureTenant("other-keys")->id;
  ASSERT_TRUE(
      store_
          ->PutApiKey({"def456", "tk_def", tenant_, domain::Role::kAdmin, absl::FromUnixSeconds(3)})
          .ok());
  ASSERT_TRUE(
      store_->PutApiKey({"zzz", "tk_zzz", other, domain::Role::kRead, absl::FromUnixSeconds(1)})
          .ok());
  auto listed = store_->ListApiKeys(tenant_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].prefix, "tk_def");
  EXPECT_EQ((*listed)[0].role, domain::Role::kAdmin);
  EXPECT_EQ((*listed)[0].created_at, absl::FromUnixSeconds(3));
  EXPECT_EQ((*listed)[1].key_hash, "abc123");
  EXPECT_EQ(store_->ListApiKeys(other)->size(), 1u);
  EXPECT_TRUE(store_->ListApiKeys(other + 1000)->empty());
}

TEST_P(StoreConformanceTest, BlobsKeepEveryByteStayInTheirTenantAndSurviveReopen) {
  std::string bytes;
  for (int i = 0; i < 3 * 1024 * 1024; ++i) bytes.push_back(static_cast<char>(i * 7 % 256));
  const int64_t position = *store_->LastChangePosition();
  ASSERT_TRUE(store_->PutBlob(tenant_, "model/ease/1", bytes).ok());
  ASSERT_TRUE(store_->PutBlob(tenant_, "empty", "").ok());
  TenantId other = store_->EnsureTenant("other").value().id;
  EXPECT_EQ(store_->GetBlob(other, "model/ease/1").status().code(), absl::StatusCode::kNotFound);
  // Blobs stay out of the change log.
  EXPECT_EQ(*store_->LastChangePosition(), position);
  Reopen();
  absl::StatusOr<std::string> got = store_->GetBlob(tenant_, "model/ease/1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == bytes);
  EXPECT_EQ(store_->GetBlob(tenant_, "empty").value_or("x"), "");
  ASSERT_TRUE(store_->PutBlob(tenant_, "model/ease/1", std::string("\0\1\xff", 3)).ok());
  EXPECT_EQ(store_->GetBlob(tenant_, "model/ease/1").value_or(""), std::string("\0\1\xff", 3));
  ASSERT_TRUE(store_->DeleteBlob(tenant_, "model/ease/1").ok());
  EXPECT_TRUE(store_->DeleteBlob(tenant_, "model/ease/1").ok());
  EXPECT_EQ(store_->GetBlob(tenant_, "model/ease/1").status().code(), absl::StatusCode::kNotFound);
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
      store_
          ->ListRecords(tenant_, "decisions",
                        store_->ListRecords(tenant_, "templates", "", 1)->next_cursor, 1)
          .status()));

  WriteBatch del;
  del.DeleteRecord("templates", "t2");
  del.DeleteRecord("templates", "absent");
  absl::StatusOr<WriteResult> deleted = store_->WriteSync(tenant_, std::move(del));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->deleted, 1);
  Reopen();
  int scanned = 0;
  ASSERT_TRUE(store_
                  ->ScanRecords(tenant_, "templates",
                                [&](const Record& r) {
                                  EXPECT_NE(r.id, "t2");
                                  ++scanned;
                                  return true;
                                })
                  .ok());
  EXPECT_EQ(scanned, 4);
  EXPECT_TRUE(store_->ListRecords(other, "templates", "", 10)->rows.empty());
}

TEST_P(StoreConformanceTest, RecordVersionsAndCompareAndSet) {
  auto put_if = [&](std::string doc, int64_t expected) {
    WriteBatch b;
    b.PutRecordIf("leases", "trainer", std::move(doc), absl::FromUnixSeconds(10), expected);
    return store_->WriteSync(tenant_, std::move(b));
  };
  absl::StatusOr<WriteResult> created = put_if("{\"n\":1}", 0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->record_versions, std::vector<int64_t>{1});
  EXPECT_EQ(put_if("{\"n\":2}", 0).status().code(), absl::StatusCode::kAborted);  // exists
  EXPECT_EQ(put_if("{\"n\":2}", 7).status().code(), absl::StatusCode::kAborted);  // stale
  absl::StatusOr<WriteResult> swapped = put_if("{\"n\":2}", 1);
  ASSERT_TRUE(swapped.ok()) << swapped.status();
  EXPECT_EQ(swapped->record_versions, std::vector<int64_t>{2});
  absl::StatusOr<Record> r = store_->GetRecord(tenant_, "leases", "trainer");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->doc, "{\"n\":2}");
  EXPECT_EQ(r->version, 2);

  // A failed compare-and-set applies nothing of its batch.
  WriteBatch mixed;
  mixed.PutUser(MakeUser("u-cas"));
  mixed.PutRecord("templates", "t", "{}", absl::FromUnixSeconds(1));
  mixed.PutRecordIf("leases", "trainer", "{\"n\":3}", absl::FromUnixSeconds(11), 1);
  EXPECT_EQ(store_->WriteSync(tenant_, std::move(mixed)).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_TRUE(absl::IsNotFound(store_->GetUser(tenant_, "u-cas").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetRecord(tenant_, "templates", "t").status()));
  EXPECT_EQ(store_->GetRecord(tenant_, "leases", "trainer")->version, 2);

  // Plain puts count versions too; conditional deletes check them.
  WriteBatch plain;
  plain.PutRecord("leases", "trainer", "{\"n\":4}", absl::FromUnixSeconds(12));
  EXPECT_EQ(store_->WriteSync(tenant_, std::move(plain))->record_versions, std::vector<int64_t>{3});
  WriteBatch stale_delete;
  stale_delete.DeleteRecordIf("leases", "trainer", 2);
  EXPECT_EQ(store_->WriteSync(tenant_, std::move(stale_delete)).status().code(),
            absl::StatusCode::kAborted);
  WriteBatch fresh_delete;
  fresh_delete.DeleteRecordIf("leases", "trainer", 3);
  EXPECT_EQ(store_->WriteSync(tenant_, std::move(fresh_delete))->deleted, 1);
  Reopen();
  EXPECT_TRUE(absl::IsNotFound(store_->GetRecord(tenant_, "leases", "trainer").status()));
}

TEST_P(StoreConformanceTest, ChangeLogKeepsWhatEachCommitChangedInOrder) {
  EXPECT_EQ(*store_->LastChangePosition(), 0);
  WriteBatch first;
  first.PutUser(MakeUser("u1"));
  first.AppendEvents({MakeEvent("u1", "i1", 100, "e1"), MakeEvent("u1", "i2", 101)});
  absl::StatusOr<WriteResult> r1 = store_->WriteSync(tenant_, std::move(first));
  ASSERT_TRUE(r1.ok());
  EXPECT_GT(r1->change_position, 0);

  WriteBatch retry;  // only a retried event: nothing changed, nothing logged
  retry.AppendEvents({MakeEvent("u1", "i1", 100, "e1")});
  absl::StatusOr<WriteResult> r2 = store_->WriteSync(tenant_, std::move(retry));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->change_position, 0);

  const TenantId other = store_->EnsureTenant("other").value().id;
  WriteBatch second;
  second.AppendEvents({MakeEvent("u2", "i1", 102, "e1"), MakeEvent("u1", "i3", 103, "e3")});
  second.PutRecord("templates", "t", "{\"a\":1}", absl::FromUnixSeconds(5));
  second.DeleteRecord("templates", "gone");
  second.DeleteUser("u9");
  absl::StatusOr<WriteResult> r3 = store_->WriteSync(other, std::move(second));
  ASSERT_TRUE(r3.ok());
  EXPECT_GT(r3->change_position, r1->change_position);

  WriteBatch third;  // e3 is new in this tenant, e1 is a retry
  third.AppendEvents({MakeEvent("u1", "i1", 100, "e1"), MakeEvent("u1", "i3", 104, "e3")});
  absl::StatusOr<WriteResult> r4 = store_->WriteSync(tenant_, std::move(third));
  ASSERT_TRUE(r4.ok());
  Reopen();

  absl::StatusOr<std::vector<Change>> all = store_->ReadChanges(0, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].position, r1->change_position);
  EXPECT_EQ((*all)[1].position, r3->change_position);
  EXPECT_EQ((*all)[2].position, r4->change_position);
  EXPECT_EQ(*store_->LastChangePosition(), r4->change_position);

  const Change& c1 = (*all)[0];
  EXPECT_EQ(c1.tenant, tenant_);
  ASSERT_EQ(c1.batch.ops().size(), 2u);
  const auto* put = std::get_if<WriteBatch::PutDoc>(&c1.batch.ops()[0]);
  ASSERT_NE(put, nullptr);
  EXPECT_TRUE(put->is_user);
  EXPECT_EQ(put->id, "u1");
  const auto* events = std::get_if<WriteBatch::Append>(&c1.batch.ops()[1]);
  ASSERT_NE(events, nullptr);
  ASSERT_EQ(events->events.size(), 2u);
  EXPECT_EQ(events->events[0].event.event_id, "e1");
  EXPECT_EQ(events->events[1].event.item_id, "i2");
  EXPECT_GT(events->events[0].event.seq, 0);
  EXPECT_GT(events->events[1].event.seq, events->events[0].event.seq);
  EXPECT_EQ(events->events[0].event.timestamp, absl::FromUnixSeconds(100));

  const Change& c2 = (*all)[1];
  EXPECT_EQ(c2.tenant, other);
  ASSERT_EQ(c2.batch.ops().size(), 4u);
  EXPECT_EQ(std::get<WriteBatch::Append>(c2.batch.ops()[0]).events.size(), 2u);
  const auto& rec = std::get<WriteBatch::PutRecordOp>(c2.batch.ops()[1]);
  EXPECT_EQ(rec.doc, "{\"a\":1}");
  EXPECT_EQ(rec.version, 1);
  EXPECT_EQ(std::get<WriteBatch::DeleteRecordOp>(c2.batch.ops()[2]).id, "gone");
  EXPECT_TRUE(std::get<WriteBatch::DeleteDoc>(c2.batch.ops()[3]).is_user);

  const Change& c3 = (*all)[2];  // the retried e1 is left out
  ASSERT_EQ(c3.batch.ops().size(), 1u);
  const auto& fresh = std::get<WriteBatch::Append>(c3.batch.ops()[0]);
  ASSERT_EQ(fresh.events.size(), 1u);
  EXPECT_EQ(fresh.events[0].event.event_id, "e3");

  absl::StatusOr<std::vector<Change>> since = store_->ReadChanges(r1->change_position, 1);
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->size(), 1u);
  EXPECT_EQ((*since)[0].position, r3->change_position);
  EXPECT_TRUE(store_->ReadChanges(r4->change_position, 10)->empty());
}

TEST_P(StoreConformanceTest, ScanEventsAtNamesThePositionOfItsSnapshot) {
  int64_t scanned = 0;
  absl::StatusOr<int64_t> empty = store_->ScanEventsAt(tenant_, [&](const domain::Event&) {
    ++scanned;
    return true;
  });
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, *store_->LastChangePosition());
  WriteBatch a;
  a.AppendEvents({MakeEvent("u", "i", 1, "a1"), MakeEvent("u", "i", 2, "a2")});
  Write(std::move(a));
  WriteBatch b;
  b.AppendEvents({MakeEvent("u", "i", 3, "b1")});
  const int64_t last = Write(std::move(b)).change_position;
  absl::StatusOr<int64_t> at = store_->ScanEventsAt(tenant_, [&](const domain::Event&) {
    ++scanned;
    return true;
  });
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(*at, last);
  EXPECT_EQ(scanned, 3);
}

TEST_P(StoreConformanceTest, ConcurrentWritersLogEveryAcceptedEventOnceInCommitOrder) {
  constexpr int kThreads = 6, kPerThread = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "e" + std::to_string(t) + "_" + std::to_string(i);
        WriteBatch b;
        // Every thread also retries its previous event: logged once only.
        std::vector<domain::Event> events{MakeEvent("u" + std::to_string(t), "i", 1000 + i, id)};
        if (i > 0) {
          events.push_back(MakeEvent("u" + std::to_string(t), "i", 999 + i,
                                     "e" + std::to_string(t) + "_" + std::to_string(i - 1)));
        }
        b.AppendEvents(std::move(events));
        EXPECT_TRUE(store_->WriteSync(tenant_, std::move(b)).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::multiset<std::string> seen;
  int64_t after = 0, last_seq = 0;
  for (;;) {
    absl::StatusOr<std::vector<Change>> page = store_->ReadChanges(after, 7);
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->empty()) break;
    for (const Change& c : *page) {
      EXPECT_GT(c.position, after);
      after = c.position;
      for (const WriteBatch::Op& op : c.batch.ops()) {
        for (const auto& se : std::get<WriteBatch::Append>(op).events) {
          seen.insert(se.event.event_id);
          EXPECT_GT(se.event.seq, last_seq);  // one writer here: commit order = seq order
          last_seq = se.event.seq;
        }
      }
    }
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
}

TEST_P(StoreConformanceTest, LeasesHaveOneHolderUntilTheyExpire) {
  ManualClock clock(absl::FromUnixSeconds(1'000'000));
  Leases leases(*store_, clock);
  EXPECT_TRUE(absl::IsNotFound(leases.Holder(tenant_, "trainer").status()));
  EXPECT_TRUE(*leases.TryAcquire(tenant_, "trainer", "node-a", absl::Seconds(30)));
  EXPECT_FALSE(*leases.TryAcquire(tenant_, "trainer", "node-b", absl::Seconds(30)));
  EXPECT_EQ(leases.Holder(tenant_, "trainer")->holder, "node-a");
  clock.Advance(absl::Seconds(20));
  EXPECT_TRUE(*leases.TryAcquire(tenant_, "trainer", "node-a", absl::Seconds(30)));  // renew
  clock.Advance(absl::Seconds(20));
  EXPECT_FALSE(*leases.TryAcquire(tenant_, "trainer", "node-b", absl::Seconds(30)));  // renewed
  clock.Advance(absl::Seconds(11));  // node-a stopped renewing: its lease lapsed
  EXPECT_TRUE(absl::IsNotFound(leases.Holder(tenant_, "trainer").status()));
  EXPECT_TRUE(*leases.TryAcquire(tenant_, "trainer", "node-b", absl::Seconds(30)));
  EXPECT_FALSE(*leases.TryAcquire(tenant_, "trainer", "node-a", absl::Seconds(30)));
  EXPECT_TRUE(leases.Release(tenant_, "trainer", "node-a").ok());  // not a's: no effect
  EXPECT_EQ(leases.Holder(tenant_, "trainer")->holder, "node-b");
  EXPECT_TRUE(leases.Release(tenant_, "trainer", "node-b").ok());
  EXPECT_TRUE(*leases.TryAcquire(tenant_, "trainer", "node-a", absl::Seconds(30)));
  // Leases are per tenant.
  const TenantId other = store_->EnsureTenant("other").value().id;
  EXPECT_TRUE(*leases.TryAcquire(other, "trainer", "node-b", absl::Seconds(30)));
}

TEST_P(StoreConformanceTest, ExactlyOneOfManyRacingCallersGetsAFreeLease) {
  ManualClock clock(absl::FromUnixSeconds(1'000'000));
  Leases leases(*store_, clock);
  constexpr int kCallers = 8;
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<bool> got =
          leases.TryAcquire(tenant_, "campaign-7", "node-" + std::to_string(i), absl::Seconds(30));
      EXPECT_TRUE(got.ok()) << got.status();
      if (got.ok() && *got) ++winners;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
}

}  // namespace tailor::storage

#endif  // TAILOR_STORAGE_STORE_CONFORMANCE_TEST_H_
