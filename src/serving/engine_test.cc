#include "serving/engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/temp_store_for_test.h"

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
  storage::WriteResult Write(std::vector<domain::Event> events) {
    return db_.WriteEvents(std::move(events));
  }
  storage::TempStoreForTest db_{"engine"};
  const fs::path dir_ = db_.dir();
  storage::Store* const store_ = &db_.store();
  const domain::TenantId tenant_ = db_.tenant();
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
  const int32_t ia = *t->state.ItemIndex("a"), ib = *t->state.ItemIndex("b");
  t->state.ReadCatalog([&](const std::vector<ItemInfo>& items) {
    EXPECT_TRUE(items[ia].in_catalog);
    EXPECT_FALSE(items[ib].in_catalog);
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
  t->state.ReadCatalog(
      [&](const std::vector<ItemInfo>& items) { EXPECT_FALSE(items[0].in_catalog); });
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
  Engine engine(*store_, {.config_dir = models.string()});
  ASSERT_TRUE(engine.LoadAll().ok());
  UserHistory h = (*engine.Tenant(tenant_))->state.User("u");
  ASSERT_EQ(h.preferences.size(), 1u);
  EXPECT_FLOAT_EQ(h.preferences[0].weight, 3.0f);

  std::ofstream(models / std::to_string(tenant_) / "event_weights.json")
      << R"({"weights": {"view": "x"}})";
  Engine broken(*store_, {.config_dir = models.string()});
  EXPECT_EQ(broken.LoadAll().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tailor::serving

namespace tailor::serving {
namespace {

TEST_F(EngineTest, ProfilesFollowEventsAndUserRecords) {
  domain::User user;
  user.id = "u";
  user.timezone = "Europe/Paris";
  storage::WriteBatch b;
  b.PutUser(user);
  domain::Item item;
  item.id = "a";
  item.categories = {"jazz"};
  b.PutItem(item);
  db_.Write(std::move(b));
  Write({Ev("u", "a", "click")});
  Engine engine(*store_, {});
  ASSERT_TRUE(engine.LoadAll().ok());
  TenantRuntime* t = *engine.Tenant(tenant_);
  // Loaded from the store: the record's zone and the item's category.
  boost::json::object p = *t->profiles.Profile("u");
  EXPECT_EQ(p.at("behavioral_patterns").at("timezone").as_string(), "Europe/Paris");
  EXPECT_EQ(p.at("content_preferences").at("categories").at(0).at("name").as_string(), "jazz");

  // Committed afterwards: applied through the hooks, once.
  domain::Event opened = Ev("u", "", "notification_opened", "n1");
  opened.context["channel"] = "push";
  std::vector<domain::Event> events = {opened};
  storage::WriteResult r = Write(events);
  engine.OnEventsCommitted(tenant_, events, r.duplicate_events);
  r = Write(events);  // a retry
  engine.OnEventsCommitted(tenant_, events, r.duplicate_events);
  user.timezone = "Asia/Tokyo";
  engine.OnUsersCommitted(tenant_, {user});
  p = *t->profiles.Profile("u");
  EXPECT_EQ(p.at("channel_preferences").at("push").at("opened").as_int64(), 1);
  EXPECT_EQ(p.at("behavioral_patterns").at("timezone").as_string(), "Asia/Tokyo");
  engine.OnUserDeleted(tenant_, "u");
  EXPECT_FALSE(t->profiles.Profile("u").ok());
}

}  // namespace
}  // namespace tailor::serving

namespace tailor::serving {
namespace {

TEST_F(EngineTest, TenantInsightsOptionsOverrideTheDefaults) {
  insights::ActivityModelOptions defaults;
  EXPECT_EQ(ReadTenantInsightsOptions(dir_.string(), defaults)->churn_horizon,
            absl::Hours(24 * 30));
  std::ofstream(dir_ / "insights.json") << R"({"churn_horizon_days": 60})";
  absl::StatusOr<insights::ActivityModelOptions> o =
      ReadTenantInsightsOptions(dir_.string(), defaults);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->churn_horizon, absl::Hours(24 * 60));
  EXPECT_EQ(o->engage_horizon, absl::Hours(24 * 7));
  for (const char* bad : {R"({"churn_horizon_days": 0})", R"({"churn_days": 5})", "[1]"}) {
    std::ofstream(dir_ / "insights.json") << bad;
    EXPECT_EQ(ReadTenantInsightsOptions(dir_.string(), defaults).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  // The engine gives the tenant its own horizon.
  fs::create_directories(dir_ / "models" / std::to_string(tenant_));
  std::ofstream(dir_ / "models" / std::to_string(tenant_) / "insights.json")
      << R"({"engage_horizon_days": 14})";
  Engine engine(*store_, {.config_dir = (dir_ / "models").string()});
  EXPECT_EQ((*engine.Tenant(tenant_))->InsightsOptions().engage_horizon, absl::Hours(24 * 14));
}

// The tenant's settings in the store win over files beside one node, reach
// every engine that loads the tenant, and a change reaches a running one
// through its change feed.
TEST_F(EngineTest, TenantSettingsInTheStoreWinOverFilesAndFollowTheChangeFeed) {
  fs::create_directories(dir_ / "models" / std::to_string(tenant_));
  std::ofstream(dir_ / "models" / std::to_string(tenant_) / "insights.json")
      << R"({"engage_horizon_days": 14})";
  std::ofstream(dir_ / "models" / std::to_string(tenant_) / "event_weights.json")
      << R"({"weights": {"view": 0}})";
  storage::WriteBatch batch;
  batch.PutRecord(kSettingsCollection, kInsightsSetting, R"({"engage_horizon_days": 3})",
                  absl::FromUnixSeconds(1));
  batch.PutRecord(kSettingsCollection, kEventWeightsSetting, R"({"weights": {"view": 2}})",
                  absl::FromUnixSeconds(1));
  ASSERT_TRUE(store_->WriteSync(tenant_, std::move(batch)).ok());
  Write({Ev("u", "a", "view")});
  Engine engine(*store_, {.config_dir = (dir_ / "models").string()});
  TenantRuntime* t = *engine.Tenant(tenant_);
  EXPECT_EQ(t->InsightsOptions().engage_horizon, absl::Hours(24 * 3));
  ASSERT_EQ(t->state.User("u").preferences.size(), 1u);
  EXPECT_FLOAT_EQ(t->state.User("u").preferences[0].weight, 2.0f);

  storage::WriteBatch change;
  change.PutRecord(kSettingsCollection, kInsightsSetting, R"({"churn_horizon_days": 90})",
                   absl::FromUnixSeconds(2));
  const int64_t after = *store_->LastChangePosition();
  ASSERT_TRUE(store_->WriteSync(tenant_, std::move(change)).ok());
  absl::StatusOr<std::vector<storage::Change>> changes = store_->ReadChanges(after, 10);
  ASSERT_TRUE(changes.ok());
  for (const storage::Change& c : *changes) engine.ApplyChange(c);
  EXPECT_EQ(t->InsightsOptions().churn_horizon, absl::Hours(24 * 90));
  EXPECT_EQ(t->InsightsOptions().engage_horizon, absl::Hours(24 * 7));  // back to the default

  // A malformed record is refused at load, naming it.
  storage::WriteBatch bad;
  bad.PutRecord(kSettingsCollection, kEventWeightsSetting, R"({"weights": {"view": "x"}})",
                absl::FromUnixSeconds(3));
  ASSERT_TRUE(store_->WriteSync(tenant_, std::move(bad)).ok());
  Engine broken(*store_, {});
  absl::Status s = broken.LoadAll();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(s.message()).find("event_weights"), std::string::npos) << s;
}

}  // namespace
}  // namespace tailor::serving
