#include "serving/tenant_state.h"

#include <gtest/gtest.h>

namespace tailor::serving {
namespace {

absl::Time T(int64_t hours) { return absl::FromUnixSeconds(1'700'000'000 + hours * 3600); }

domain::Item MakeItem(std::string id, std::vector<std::string> categories = {}) {
  domain::Item item;
  item.id = std::move(id);
  item.title = "Title of " + item.id;
  item.categories = std::move(categories);
  return item;
}

TEST(TenantStateTest, EventsBuildSummedPreferencesAndRecentItems) {
  TenantState s;
  s.UpsertItem(MakeItem("a"));
  s.UpsertItem(MakeItem("b"));
  s.ApplyEvent({"u", "a", "view", std::nullopt, T(0)});
  s.ApplyEvent({"u", "a", "purchase", std::nullopt, T(1)});
  s.ApplyEvent({"u", "b", "click", std::nullopt, T(2)});
  UserHistory h = s.User("u");
  ASSERT_TRUE(h.known);
  ASSERT_EQ(h.preferences.size(), 2u);
  EXPECT_EQ(h.preferences[0].item, *s.ItemIndex("a"));
  EXPECT_FLOAT_EQ(h.preferences[0].weight, 6.0f);
  EXPECT_FLOAT_EQ(h.preferences[1].weight, 2.0f);
  EXPECT_EQ(h.recent, (std::vector<int32_t>{*s.ItemIndex("a"), *s.ItemIndex("b")}));
  EXPECT_EQ(h.num_events, 3);
  EXPECT_TRUE(h.Consumed(*s.ItemIndex("a")));
  EXPECT_FALSE(s.User("nobody").known);
}

TEST(TenantStateTest, DislikeTurnsAPreferenceIntoANegative) {
  TenantState s;
  s.ApplyEvent({"u", "a", "view", std::nullopt, T(0)});
  s.ApplyEvent({"u", "a", "dislike", std::nullopt, T(1)});
  UserHistory h = s.User("u");
  EXPECT_TRUE(h.preferences.empty());
  EXPECT_EQ(h.negatives, std::vector<int32_t>{*s.ItemIndex("a")});
  EXPECT_TRUE(h.recent.empty());
  EXPECT_TRUE(h.Consumed(*s.ItemIndex("a")));
}

TEST(TenantStateTest, EventsWithoutItemsOrWeightCountButDoNotPrefer) {
  TenantState s;
  s.ApplyEvent({"u", "", "unsubscribe", std::nullopt, T(0)});
  s.ApplyEvent({"u", "a", "notification_sent", std::nullopt, T(0)});
  UserHistory h = s.User("u");
  EXPECT_TRUE(h.known);
  EXPECT_EQ(h.num_events, 2);
  EXPECT_TRUE(h.preferences.empty());
  EXPECT_EQ(s.events_applied(), 2);
}

TEST(TenantStateTest, TrendingFavoursRecentWeightAndHonoursCategoryAndAvailability) {
  TenantState s;
  s.UpsertItem(MakeItem("old", {"news"}));
  s.UpsertItem(MakeItem("new", {"news"}));
  s.UpsertItem(MakeItem("sport", {"sport"}));
  for (int i = 0; i < 10; ++i) s.ApplyEvent({"u" + std::to_string(i), "old", "view", {}, T(0)});
  for (int i = 0; i < 6; ++i) s.ApplyEvent({"v" + std::to_string(i), "new", "view", {}, T(100)});
  for (int i = 0; i < 3; ++i) s.ApplyEvent({"w" + std::to_string(i), "sport", "view", {}, T(100)});
  absl::Time now = T(101);
  std::vector<ScoredIndex> day = s.Trending(absl::Hours(24), "", now, 10);
  ASSERT_EQ(day.size(), 2u);  // "old" is outside the window
  EXPECT_EQ(day[0].item, *s.ItemIndex("new"));
  std::vector<ScoredIndex> week = s.Trending(absl::Hours(24 * 7), "news", now, 10);
  ASSERT_EQ(week.size(), 2u);
  EXPECT_EQ(week[0].item, *s.ItemIndex("new"));  // decay beats raw count
  EXPECT_EQ(week[1].item, *s.ItemIndex("old"));
  domain::Item gone = MakeItem("new", {"news"});
  gone.available = false;
  s.UpsertItem(gone);
  EXPECT_EQ(s.Trending(absl::Hours(24), "", now, 10).front().item, *s.ItemIndex("sport"));
}

TEST(TenantStateTest, TrendingIsAnchoredAtTheNewestEventNotTheWallClock) {
  TenantState s;
  s.UpsertItem(MakeItem("a"));
  s.ApplyEvent({"u", "a", "view", {}, T(0)});
  // Years later the imported history still has a trend.
  EXPECT_EQ(s.Trending(absl::Hours(24), "", T(24 * 365 * 3), 10).size(), 1u);
}

// An event stamped 23 h ahead of the clock must not become the tenant's
// "now": before, it moved the pruning horizon and dropped the oldest 23 h of
// every item's counts at once.
TEST(TenantStateTest, AFutureEventDoesNotAgeOutRealCounts) {
  const int64_t now_hour = TenantState::kTrendingHours;
  ManualClock clock(T(now_hour));
  TenantState s(EventWeights(), clock);
  s.UpsertItem(MakeItem("z"));
  s.UpsertItem(MakeItem("c"));
  s.UpsertItem(MakeItem("future"));
  s.ApplyEvent({"u", "z", "view", {}, T(10)});  // 90 days - 10 h ago: still counted
  s.ApplyEvent({"v", "future", "view", {}, T(now_hour + 23)});
  s.ApplyEvent({"w", "z", "view", {}, T(now_hour)});
  s.ApplyEvent({"w", "c", "view", {}, T(now_hour)});
  // z: one view now plus one decayed view 90 days - 10 h ago; c: one view
  // now. Had the future event moved the horizon, z's old view would be gone
  // and the tie would put c first.
  const std::vector<ScoredIndex> trend =
      s.Trending(absl::Hours(TenantState::kTrendingHours), "", clock.Now(), 10);
  ASSERT_EQ(trend.size(), 2u);  // the future view is not counted before its hour
  EXPECT_EQ(trend[0].item, *s.ItemIndex("z"));
  EXPECT_GT(trend[0].score, trend[1].score);
}

TEST(TenantStateTest, TrendingCacheFollowsNewEventsAndTime) {
  TenantState s;
  s.UpsertItem(MakeItem("a"));
  s.UpsertItem(MakeItem("b"));
  for (int i = 0; i < 10; ++i) s.ApplyEvent({"u" + std::to_string(i), "a", "view", {}, T(0)});
  EXPECT_EQ(s.Trending(absl::Hours(24), "", T(1), 1).at(0).item, *s.ItemIndex("a"));
  for (int i = 0; i < 20; ++i) s.ApplyEvent({"v" + std::to_string(i), "b", "view", {}, T(0)});
  EXPECT_EQ(s.Trending(absl::Hours(24), "", T(1), 1).at(0).item, *s.ItemIndex("b"));
  // Below the 1 % threshold the cached ranking is kept until its TTL ends.
  TenantState big;
  big.UpsertItem(MakeItem("a"));
  big.UpsertItem(MakeItem("b"));
  for (int i = 0; i < 1000; ++i) big.ApplyEvent({"u" + std::to_string(i), "a", "view", {}, T(0)});
  absl::Time now = T(1);
  ASSERT_EQ(big.Trending(absl::Hours(24), "", now, 1).at(0).item, *big.ItemIndex("a"));
  for (int i = 0; i < 5; ++i) big.ApplyEvent({"w" + std::to_string(i), "b", "purchase", {}, T(0)});
  EXPECT_EQ(big.Trending(absl::Hours(24), "", now, 2).size(), 1u);  // b not yet ranked
  EXPECT_EQ(big.Trending(absl::Hours(24), "", now + TenantState::kTrendingCacheTtl, 2).size(), 2u);
}

TEST(TenantStateTest, ItemsOnlyInEventsAndDeletedItemsAreNotShowable) {
  TenantState s;
  s.ApplyEvent({"u", "ghost", "view", {}, T(0)});
  s.UpsertItem(MakeItem("a"));
  s.RemoveItem("a");
  s.ReadCatalog([&](const std::vector<ItemInfo>& items) {
    ASSERT_EQ(items.size(), 2u);
    for (const ItemInfo& i : items) EXPECT_FALSE(i.ShowableAt(T(1))) << i.id;
  });
  domain::Item expiring = MakeItem("b");
  expiring.expires_at = T(5);
  s.UpsertItem(expiring);
  const int32_t b = *s.ItemIndex("b");  // not inside the callback: it holds the lock
  s.ReadCatalog([&](const std::vector<ItemInfo>& items) {
    EXPECT_TRUE(items[b].ShowableAt(T(4)));
    EXPECT_FALSE(items[b].ShowableAt(T(5)));
  });
}

TEST(TenantStateTest, RemoveUserForgetsTheHistory) {
  TenantState s;
  s.ApplyEvent({"u", "a", "view", {}, T(0)});
  s.RemoveUser("u");
  EXPECT_FALSE(s.User("u").known);
  s.ApplyEvent({"u", "b", "view", {}, T(1)});
  EXPECT_EQ(s.User("u").preferences.size(), 1u);
}

TEST(TenantStateTest, SnapshotHoldsOutTheMostRecentPositiveOfRichUsers) {
  TenantState s;
  for (const char* item : {"a", "b", "c"}) s.ApplyEvent({"rich", item, "view", {}, T(0)});
  s.ApplyEvent({"poor", "a", "view", {}, T(0)});
  TrainingSnapshot snap = s.Snapshot(3);
  EXPECT_EQ(snap.num_users, 2);
  EXPECT_EQ(snap.num_items, 3);
  ASSERT_EQ(snap.holdout.size(), 1u);
  EXPECT_EQ(snap.holdout[0], std::make_pair(*s.UserIndex("rich"), *s.ItemIndex("c")));
  EXPECT_EQ(snap.train.size(), 3u);  // rich: a, b; poor: a
}

TEST(TenantStateTest, MapItemsFindsInternsAndReportsTheIndexSpace) {
  TenantState s;
  s.UpsertItem(MakeItem("b"));
  s.UpsertItem(MakeItem("a"));
  // The state's own order: nothing to move.
  ItemMapping same = s.MapItems({"b", "a"});
  EXPECT_TRUE(same.identity);
  EXPECT_EQ(same.to, (std::vector<int32_t>{0, 1}));
  EXPECT_TRUE(same.ids.empty());  // nothing to move
  // Another order, and an id the state has never seen: interned outside
  // the catalogue (never shown), at the next index.
  ItemMapping other = s.MapItems({"a", "gone", "b"});
  EXPECT_FALSE(other.identity);
  EXPECT_EQ(other.to, (std::vector<int32_t>{1, 2, 0}));
  EXPECT_EQ(other.ids, (std::vector<std::string>{"b", "a", "gone"}));
  EXPECT_EQ(s.num_items(), 3);
  s.WithItem("gone", [](const ItemInfo& item) { EXPECT_FALSE(item.ShowableAt(T(0))); });
  // A prefix of the state's space is the identity too; a subset is not.
  EXPECT_TRUE(s.MapItems({"b"}).identity);
  ItemMapping subset = s.MapItems({"a"});
  EXPECT_EQ(subset.to, (std::vector<int32_t>{1}));
  EXPECT_EQ(subset.ids, (std::vector<std::string>{"b", "a"}));
  EXPECT_TRUE(s.MapItems({}).identity);
}

TEST(TenantStateTest, SnapshotNamesTheItemOfEveryColumn) {
  TenantState s;
  s.ApplyEvent({"u", "x", "view", std::nullopt, T(0)});
  s.UpsertItem(MakeItem("a"));
  EXPECT_EQ(s.Snapshot().item_ids, (std::vector<std::string>{"x", "a"}));
}

TEST(TenantStateTest, EqualTrendingWeightsAreOrderedById) {
  TenantState s;
  for (const char* id : {"c", "a", "b"}) {
    s.UpsertItem(MakeItem(id));
    s.ApplyEvent({"u", id, "view", std::nullopt, T(0)});
  }
  std::vector<ScoredIndex> top = s.Trending(absl::Hours(24), "", T(1), 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].item, *s.ItemIndex("a"));
  EXPECT_EQ(top[1].item, *s.ItemIndex("b"));
  EXPECT_EQ(top[2].item, *s.ItemIndex("c"));
}

}  // namespace
}  // namespace tailor::serving
