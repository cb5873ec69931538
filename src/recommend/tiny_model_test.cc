// A new tenant's first models, fitted on its first handful of events, are
// recorded as trained on too little data; until they are retrained on more,
// the recommender answers from the fallback chain (content, trending,
// popularity) instead of presenting one user's co-views as collaborative.
#include <gtest/gtest.h>

#include "jobs/training.h"
#include "recommend/recommender.h"

namespace tailor::recommend {
namespace {

absl::Time T(int64_t hours) { return absl::FromUnixSeconds(1'700'000'000 + hours * 3600); }

class TinyModelTest : public ::testing::Test {
 protected:
  TinyModelTest() : runtime_(1, serving::EventWeights(), nullptr), clock_(T(1000)) {}

  void SetUp() override {
    // Action a0..a9, drama d0..d9, comedy c0..c3 (so that neither taste's
    // vocabulary is in half the catalogue, which TF-IDF would prune).
    for (int i = 0; i < 10; ++i) {
      Write("a" + std::to_string(i), "explosions chase heist car", "action");
      Write("d" + std::to_string(i), "family love tears letters", "drama");
    }
    for (int i = 0; i < 4; ++i) Write("c" + std::to_string(i), "jokes laughs", "comedy");
    // The tenant's first user, and the models fitted on it alone.
    for (const char* item : {"a0", "d0", "d1"}) View("first", item, 0);
    for (const char* model : {"popularity", "itemknn", "ease"}) {
      absl::StatusOr<serving::ModelRecord> r = jobs::TrainModel(runtime_, model, {}, clock_);
      ASSERT_TRUE(r.ok()) << model << ": " << r.status();
      EXPECT_NE(r->insufficient_data, "") << model;
    }
    // Then the tenant grows; the models have not been retrained yet.
    for (int u = 0; u < 20; ++u) {
      char group = u % 2 == 0 ? 'a' : 'd';
      for (int k = 0; k < 5; ++k) {
        View("u" + std::to_string(u), std::string(1, group) + std::to_string((u + k * 3) % 10),
             990 + k);
      }
    }
  }

  void Write(const std::string& id, const std::string& text, const std::string& category) {
    domain::Item item;
    item.id = id;
    item.title = id;
    item.text = text;
    item.categories = {category};
    runtime_.state.UpsertItem(item);
    runtime_.content.Upsert(*runtime_.state.ItemIndex(id), serving::ContentDocumentOf(item));
  }
  void View(const std::string& user, const std::string& item, int64_t hour) {
    runtime_.state.ApplyEvent({user, item, "view", std::nullopt, T(hour)});
  }
  Recommender MakeRecommender() { return Recommender(runtime_, clock_); }

  // Every item comes from the fallback chain, the list is full, and the
  // leading items are the action items like the user's history.
  static void ExpectFallbackChain(const Recommendation& r, size_t n) {
    ASSERT_EQ(r.items.size(), n);
    EXPECT_EQ(r.model, "content");
    EXPECT_EQ(r.model_version, 0);
    for (const RecommendedItem& i : r.items) {
      EXPECT_TRUE(i.strategy == "content" || i.strategy == "trending" || i.strategy == "popularity")
          << i.item_id << " by " << i.strategy;
    }
    EXPECT_EQ(r.items[0].item_id[0], 'a') << r.items[0].item_id;
  }

  serving::TenantRuntime runtime_;
  ManualClock clock_;
};

TEST_F(TinyModelTest, AShortHistoryIsNotAnsweredByATinyItemKnn) {
  View("newbie", "a0", 999);
  absl::StatusOr<Recommendation> r =
      MakeRecommender().Recommend({.user_id = "newbie", .n = 5, .explain = true});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectFallbackChain(*r, 5);
}

TEST_F(TinyModelTest, ARichHistoryIsNotAnsweredByATinyBestModel) {
  EXPECT_EQ(runtime_.registry.Current()->Best(), nullptr);
  for (const char* item : {"a0", "a4", "a5", "a6", "a7"}) View("fan", item, 999);
  absl::StatusOr<Recommendation> r = MakeRecommender().Recommend({.user_id = "fan", .n = 5});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectFallbackChain(*r, 5);
  // Rank scores by the same choice.
  absl::StatusOr<Recommendation> ranked = MakeRecommender().Rank("fan", {"d0", "a1"}, false);
  ASSERT_TRUE(ranked.ok()) << ranked.status();
  for (const RecommendedItem& i : ranked->items) EXPECT_NE(i.strategy, "ease") << i.item_id;
}

TEST_F(TinyModelTest, SimilarItemsComeFromContentWhileTheItemKnnIsTiny) {
  // The tiny model's only neighbours of a0 are d0 and d1, co-viewed by one
  // user; content says the action items.
  absl::StatusOr<Recommendation> r = MakeRecommender().Similar("a0", 3, "", true);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->items.size(), 3u);
  for (const RecommendedItem& i : r->items) {
    EXPECT_EQ(i.strategy, "content") << i.item_id;
    EXPECT_EQ(i.item_id[0], 'a') << i.item_id;
  }
}

TEST_F(TinyModelTest, ModelsRetrainedOnTheGrownDataAreServedAgain) {
  for (const char* model : {"itemknn", "ease"}) {
    absl::StatusOr<serving::ModelRecord> r = jobs::TrainModel(runtime_, model, {}, clock_);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->insufficient_data, "") << model;
  }
  View("newbie", "a0", 999);
  absl::StatusOr<Recommendation> r = MakeRecommender().Recommend({.user_id = "newbie", .n = 5});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->model, "itemknn");
  EXPECT_EQ(r->model_version, 2);
}

}  // namespace
}  // namespace tailor::recommend
