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
  Engine engine(*store_, {.config_dir = models.string()});
  ASSERT_TRUE(engine.LoadAll().ok());
  UserHistory h = (*engine.Tenant(tenant_))->state.User("u");
  ASSERT_EQ(h.preferences.size(), 1u);
  EXPECT_FLOAT_EQ(h.preferences[0].weight, 3.0f);

  std::ofstream(models / std::to_string(tenant_) / "event_weights.json") << R"({"weights": {"view": "x"}})";
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
  EXPECT_EQ(ReadTenantInsightsOptions(dir_.string(), defaults)->churn_horizon, absl::Hours(24 * 30));
  std::ofstream(dir_ / "insights.json") << R"({"churn_horizon_days": 60})";
  absl::StatusOr<insights::ActivityModelOptions> o = ReadTenantInsightsOptions(dir_.string(), defaults);
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
  EXPECT_EQ((*engine.Tenant(tenant_))->insights_options.engage_horizon, absl::Hours(24 * 14));
}

}  // namespace
}  // namespace tailor::serving
