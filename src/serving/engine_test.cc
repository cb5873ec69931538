#include "serving/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/store_url.h"

namespace tailor::serving {
namespace {

namespace fs = std::filesystem;

domain::Event Ev(std::string user, std::string item, std::string type, std::string id = "") {
  domain::Event e;
  e.event_id = std::move(id);
  e.user_id = std::move(user);
  e.item_id = std::move(item);
  e.type = std::move(type);
  e.timestamp = absl::FromUnixSeconds(1'700'000'000);
  return e;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("engine_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = *storage::OpenStore("sqlite://" + (dir_ / "t.db").string());
    tenant_ = store_->EnsureTenant("t")->id;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  storage::WriteResult Write(std::vector<domain::Event> events) {
    storage::WriteBatch b;
    b.AppendEvents(std::move(events));
    return *store_->WriteSync(tenant_, std::move(b));
  }
  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
  domain::TenantId tenant_ = 0;
};

TEST_F(EngineTest, LoadsCatalogueAndEventsFromTheStore) {
  domain::Item item;
  item.id = "a";
  item.title = "A";
  storage::WriteBatch b;
  b.PutItem(item);
  ASSERT_TRUE(store_->WriteSync(tenant_, std::move(b)).ok());
  Write({Ev("u", "a", "view"), Ev("u", "b", "purchase")});
  Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  TenantRuntime* t = *engine.Tenant(tenant_);
  EXPECT_EQ(t->state.events_applied(), 2);
  EXPECT_EQ(t->state.User("u").preferences.size(), 2u);
  t->state.ReadCatalog([&](const std::vector<ItemInfo>& items) {
    EXPECT_TRUE(items[*t->state.ItemIndex("a")].in_catalog);
    EXPECT_FALSE(items[*t->state.ItemIndex("b")].in_catalog);
  });
}

TEST_F(EngineTest, CommittedEventsApplyOnceAndRetriesAreSkipped) {
  Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  std::vector<domain::Event> first = {Ev("u", "a", "view", "e1")};
  storage::WriteResult r1 = Write(first);
  engine.OnEventsCommitted(tenant_, first, r1.duplicate_events);
  std::vector<domain::Event> retry = {Ev("u", "a", "view", "e1"), Ev("u", "b", "view", "e2")};
  storage::WriteResult r2 = Write(retry);
  ASSERT_EQ(r2.duplicate_events, std::vector<int64_t>{0});
  engine.OnEventsCommitted(tenant_, retry, r2.duplicate_events);
  TenantRuntime* t = *engine.Tenant(tenant_);
  UserHistory h = t->state.User("u");
  ASSERT_EQ(h.preferences.size(), 2u);
  EXPECT_FLOAT_EQ(h.preferences[0].weight, 1.0f);  // not 2: the retry was dropped
  EXPECT_EQ(t->state.events_applied(), 2);
}

TEST_F(EngineTest, ATenantFirstSeenAtAWriteIsLoadedNotDoubleCounted) {
  Engine engine(*store_, {});  // not loaded yet
  std::vector<domain::Event> events = {Ev("u", "a", "view")};
  storage::WriteResult r = Write(events);
  engine.OnEventsCommitted(tenant_, events, r.duplicate_events);
  EXPECT_EQ((*engine.Tenant(tenant_))->state.events_applied(), 1);
}

TEST_F(EngineTest, ItemAndUserHooksUpdateState) {
  Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  domain::Item item;
  item.id = "a";
  engine.OnItemsCommitted(tenant_, {item});
  TenantRuntime* t = *engine.Tenant(tenant_);
  ASSERT_TRUE(t->state.ItemIndex("a").has_value());
  engine.OnItemDeleted(tenant_, "a");
  t->state.ReadCatalog([&](const std::vector<ItemInfo>& items) { EXPECT_FALSE(items[0].in_catalog); });
  std::vector<domain::Event> events = {Ev("u", "a", "view")};
  engine.OnEventsCommitted(tenant_, events, Write(events).duplicate_events);
  engine.OnUserDeleted(tenant_, "u");
  EXPECT_FALSE(t->state.User("u").known);
}

}  // namespace
}  // namespace tailor::serving

namespace tailor::serving {
namespace {

TEST_F(EngineTest, ATenantsEventWeightsFileOverridesTheDefaults) {
  fs::path models = dir_ / "models";
  fs::create_directories(models / std::to_string(tenant_));
  std::ofstream(models / std::to_string(tenant_) / "event_weights.json")
      << R"({"weights": {"view": 0, "bookmark": 3}})";
  Write({Ev("u", "a", "view"), Ev("u", "b", "bookmark")});
  Engine engine(*store_, {.models_dir = models.string()});
  ASSERT_TRUE(engine.LoadAll().ok());
  UserHistory h = (*engine.Tenant(tenant_))->state.User("u");
  ASSERT_EQ(h.preferences.size(), 1u);
  EXPECT_FLOAT_EQ(h.preferences[0].weight, 3.0f);

  std::ofstream(models / std::to_string(tenant_) / "event_weights.json") << R"({"weights": {"view": "x"}})";
  Engine broken(*store_, {.models_dir = models.string()});
  EXPECT_EQ(broken.LoadAll().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tailor::serving
