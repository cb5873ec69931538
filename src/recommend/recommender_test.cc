#include "recommend/recommender.h"

#include <gtest/gtest.h>

#include <set>

#include "jobs/training.h"

namespace tailor::recommend {
namespace {

using serving::TenantRuntime;

absl::Time T(int64_t hours) { return absl::FromUnixSeconds(1'700'000'000 + hours * 3600); }

// Two tastes: "action" items a0..a9 and "drama" items d0..d9. Each user of a
// group engages with most of the group's items, in a fixed pseudo-random order.
class RecommenderTest : public ::testing::Test {
 protected:
  RecommenderTest() : runtime_(1, serving::EventWeights(), nullptr), clock_(T(1000)) {}

  void SetUp() override {
    for (char group : {'a', 'd'}) {
      for (int i = 0; i < 10; ++i) {
        domain::Item item;
        item.id = std::string(1, group) + std::to_string(i);
        item.title = (group == 'a' ? "Action " : "Drama ") + std::to_string(i);
        item.categories = {group == 'a' ? "action" : "drama"};
        item.text = group == 'a' ? "explosions chase heist car" : "family love tears letters";
        runtime_.state.UpsertItem(item);
      }
    }
    for (int u = 0; u < 40; ++u) {
      char group = u % 2 == 0 ? 'a' : 'd';
      for (int k = 0; k < 7; ++k) {
        int i = (u * 3 + k * 7) % 10;
        std::string user = "u" + std::to_string(u);
        std::string item = std::string(1, group) + std::to_string(i);
        runtime_.state.ApplyEvent({user, item, "view", std::nullopt, T(k)});
      }
    }
    for (const char* model : {"popularity", "itemknn", "ease"}) {
      ASSERT_TRUE(jobs::TrainModel(runtime_, model, {}, clock_).ok()) << model;
    }
    ASSERT_TRUE(jobs::BuildContentIndexFromDocs(runtime_, Docs()).ok());
  }

  std::vector<text::ContentDocument> Docs() {
    std::vector<text::ContentDocument> docs(runtime_.state.num_items());
    runtime_.state.ReadCatalog([&](const std::vector<serving::ItemInfo>& items) {
      for (size_t i = 0; i < items.size(); ++i) {
        bool action = items[i].id[0] == 'a' || items[i].id.rfind("new-action", 0) == 0;
        bool comedy = items[i].id.rfind("comedy", 0) == 0;
        docs[i].text = items[i].title + (comedy   ? " jokes laughs"
                                         : action ? " explosions chase heist car"
                                                  : " family love tears letters");
        docs[i].language = "en";
      }
    });
    return docs;
  }

  Recommender MakeRecommender() {
    return Recommender(runtime_, clock_, {.new_decision_id = [] { return std::string("d-1"); }});
  }

  void View(const std::string& user, const std::string& item, int hour = 50) {
    runtime_.state.ApplyEvent({user, item, "view", std::nullopt, T(hour)});
  }

  static int CountPrefix(const Recommendation& r, char prefix) {
    int n = 0;
    for (const RecommendedItem& i : r.items) n += i.item_id[0] == prefix;
    return n;
  }

  TenantRuntime runtime_;
  ManualClock clock_;
};

TEST_F(RecommenderTest, NewUserGetsTrendingWithReasons) {
  absl::StatusOr<Recommendation> r = MakeRecommender().Recommend({.user_id = "stranger", .n = 5, .explain = true});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model, "trending");
  EXPECT_EQ(r->decision_id, "d-1");
  ASSERT_EQ(r->items.size(), 5u);
  for (const RecommendedItem& i : r->items) {
    ASSERT_FALSE(i.reasons.empty());
    EXPECT_EQ(i.reasons[0].type, "trending");
    EXPECT_NE(i.reasons[0].text.find("trending"), std::string::npos);
  }
}

TEST_F(RecommenderTest, ShortHistoryUsesItemKnnAndExplainsWithTheUsersItem) {
  View("newbie", "a1");
  View("newbie", "a2");
  absl::StatusOr<Recommendation> r = MakeRecommender().Recommend({.user_id = "newbie", .n = 5, .explain = true});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->model, "itemknn");
  EXPECT_GE(r->model_version, 1);
  EXPECT_EQ(CountPrefix(*r, 'a'), 5);
  for (const RecommendedItem& i : r->items) {
    EXPECT_NE(i.item_id, "a1");
    EXPECT_NE(i.item_id, "a2");
    ASSERT_FALSE(i.reasons.empty());
    EXPECT_EQ(i.reasons[0].type, "because_you");
    EXPECT_TRUE(i.reasons[0].item_id == "a1" || i.reasons[0].item_id == "a2") << i.reasons[0].item_id;
    EXPECT_NE(i.reasons[0].text.find("Action"), std::string::npos) << i.reasons[0].text;
  }
}

TEST_F(RecommenderTest, RichHistoryUsesTheBestModel) {
  for (int i = 0; i < 6; ++i) View("fan", "d" + std::to_string(i));
  absl::StatusOr<Recommendation> r = MakeRecommender().Recommend({.user_id = "fan", .n = 4});
  ASSERT_TRUE(r.ok());
  const serving::ServingModel* best = runtime_.registry.Current()->Best();
  ASSERT_NE(best, nullptr);
  EXPECT_EQ(r->model, best->record.name);
  EXPECT_EQ(CountPrefix(*r, 'd'), 4);
}

TEST_F(RecommenderTest, ARequestMayNameATrainedModel) {
  for (int i = 0; i < 6; ++i) View("fan", "d" + std::to_string(i));
  Recommender rec = MakeRecommender();
  for (const char* model : {"popularity", "itemknn", "ease"}) {
    absl::StatusOr<Recommendation> r = rec.Recommend({.user_id = "fan", .n = 3, .model = model});
    ASSERT_TRUE(r.ok()) << model;
    EXPECT_EQ(r->model, model);
    EXPECT_EQ(r->model_version, runtime_.registry.Current()->Find(model)->record.version);
    absl::StatusOr<Recommendation> ranked = rec.Rank("fan", {"d7", "a1"}, false, model);
    ASSERT_TRUE(ranked.ok()) << model;
    EXPECT_EQ(ranked->model, model);
  }
  absl::Status unknown = rec.Recommend({.user_id = "fan", .model = "ials"}).status();  // not trained
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.ToString().find("model"), std::string::npos);
  EXPECT_EQ(rec.Rank("fan", {"d7"}, false, "ials").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RecommenderTest, FiltersCategoryExcludeSeenAndUnavailable) {
  View("f", "a1");
  View("f", "a2");
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> drama = rec.Recommend({.user_id = "f", .n = 3, .category = "drama"});
  ASSERT_TRUE(drama.ok());
  EXPECT_EQ(CountPrefix(*drama, 'd'), static_cast<int>(drama->items.size()));
  EXPECT_FALSE(drama->items.empty());

  absl::StatusOr<Recommendation> base = rec.Recommend({.user_id = "f", .n = 1});
  std::string top = base->items.at(0).item_id;
  absl::StatusOr<Recommendation> excluded = rec.Recommend({.user_id = "f", .n = 20, .exclude = {top}});
  for (const RecommendedItem& i : excluded->items) EXPECT_NE(i.item_id, top);

  absl::StatusOr<Recommendation> seen = rec.Recommend({.user_id = "f", .n = 20, .include_seen = true});
  std::set<std::string> ids;
  for (const RecommendedItem& i : seen->items) ids.insert(i.item_id);
  EXPECT_TRUE(ids.contains("a1"));

  domain::Item gone;
  gone.id = top;
  gone.available = false;
  runtime_.state.UpsertItem(gone);
  absl::StatusOr<Recommendation> after = rec.Recommend({.user_id = "f", .n = 20});
  for (const RecommendedItem& i : after->items) EXPECT_NE(i.item_id, top);
}

TEST_F(RecommenderTest, OffsetPagesThroughTheSameRanking) {
  View("p", "a1");
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> all = rec.Recommend({.user_id = "p", .n = 6});
  absl::StatusOr<Recommendation> page2 = rec.Recommend({.user_id = "p", .n = 3, .offset = 3});
  ASSERT_EQ(all->items.size(), 6u);
  ASSERT_EQ(page2->items.size(), 3u);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(page2->items[k].item_id, all->items[3 + k].item_id);
}

TEST_F(RecommenderTest, AnEventChangesTheNextAnswerWithoutRetraining) {
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> before = rec.Recommend({.user_id = "live", .n = 5});
  EXPECT_EQ(before->model, "trending");
  View("live", "d3");
  absl::StatusOr<Recommendation> after = rec.Recommend({.user_id = "live", .n = 5});
  EXPECT_EQ(after->model, "itemknn");
  EXPECT_EQ(CountPrefix(*after, 'd'), 5);
  for (const RecommendedItem& i : after->items) EXPECT_NE(i.item_id, "d3");
  runtime_.state.ApplyEvent({"live", "d4", "dislike", std::nullopt, T(60)});
  absl::StatusOr<Recommendation> disliked = rec.Recommend({.user_id = "live", .n = 19, .include_seen = true});
  for (const RecommendedItem& i : disliked->items) EXPECT_NE(i.item_id, "d4");
}

TEST_F(RecommenderTest, DiversityMixesTastes) {
  for (int i = 0; i < 6; ++i) View("mix", "a" + std::to_string(i));
  View("mix", "d0");
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> focused = rec.Recommend({.user_id = "mix", .n = 6, .include_seen = true});
  absl::StatusOr<Recommendation> diverse =
      rec.Recommend({.user_id = "mix", .n = 6, .include_seen = true, .diversity = 0.9});
  ASSERT_TRUE(diverse.ok());
  EXPECT_GT(CountPrefix(*diverse, 'd'), CountPrefix(*focused, 'd'));
}

TEST_F(RecommenderTest, SimilarItemsComeFromTheSameTaste) {
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> r = rec.Similar("a0", 5, "", true);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model, "itemknn");
  ASSERT_EQ(r->items.size(), 5u);
  EXPECT_EQ(CountPrefix(*r, 'a'), 5);
  for (const RecommendedItem& i : r->items) {
    EXPECT_NE(i.item_id, "a0");
    EXPECT_EQ(i.reasons.at(0).type, "co_engagement");
  }
  EXPECT_EQ(rec.Similar("nope", 5, "", false).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(rec.Similar("a0", 0, "", false).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RecommenderTest, ColdItemsArriveThroughContent) {
  domain::Item cold;
  cold.id = "new-action";
  cold.title = "Brand new";
  cold.categories = {"action"};
  runtime_.state.UpsertItem(cold);
  // Terms in more than half the catalogue are pruned as uninformative; a
  // few unrelated items keep the action vocabulary below that share.
  for (int i = 0; i < 3; ++i) {
    domain::Item other;
    other.id = "comedy" + std::to_string(i);
    runtime_.state.UpsertItem(other);
  }
  ASSERT_TRUE(jobs::BuildContentIndexFromDocs(runtime_, Docs()).ok());
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> similar = rec.Similar("new-action", 3, "", true);
  ASSERT_TRUE(similar.ok());
  ASSERT_FALSE(similar->items.empty());
  EXPECT_EQ(similar->items[0].item_id[0], 'a');
  EXPECT_EQ(similar->items[0].reasons.at(0).type, "similar_content");

  for (int i = 0; i < 6; ++i) View("reader", "a" + std::to_string(i));
  absl::StatusOr<Recommendation> r = rec.Recommend({.user_id = "reader", .n = 20, .explain = true});
  bool found = false;
  for (const RecommendedItem& i : r->items) {
    if (i.item_id != "new-action") continue;
    found = true;
    EXPECT_EQ(i.reasons.at(0).type, "similar_content");
  }
  EXPECT_TRUE(found);
}

TEST_F(RecommenderTest, RankOrdersCandidatesAndPutsUnknownLast) {
  View("r", "a1");
  View("r", "a2");
  absl::StatusOr<Recommendation> r = MakeRecommender().Rank("r", {"zzz", "d5", "a3"}, true);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->items[0].item_id, "a3");
  EXPECT_EQ(r->items[1].item_id, "d5");
  EXPECT_EQ(r->items[2].item_id, "zzz");
  EXPECT_EQ(r->items[2].reasons.at(0).type, "unknown");
  EXPECT_EQ(MakeRecommender().Rank("r", {}, false).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RecommenderTest, TrendingByCategoryAndWindow) {
  for (int i = 0; i < 5; ++i) View("t" + std::to_string(i), "d9", 900);
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> day = rec.Trending(3, "", absl::Hours(24), true);
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->items.size(), 1u);  // only d9 had events in the last day
  EXPECT_EQ(day->items[0].item_id, "d9");
  // An unfiltered list is not about the item's category.
  EXPECT_EQ(day->items[0].reasons.at(0).text, "trending now");
  EXPECT_EQ(day->items[0].strategy, "trending");
  absl::StatusOr<Recommendation> action = rec.Trending(3, "action", absl::Hours(24 * 90), true);
  EXPECT_EQ(CountPrefix(*action, 'a'), 3);
  EXPECT_EQ(action->items.at(0).reasons.at(0).text, "trending in action");
}

// A user whose only history is an item written after the models were
// trained: the models know nothing of it, so content similarity answers.
class ColdStartTest : public RecommenderTest {
 protected:
  void SetUp() override {
    RecommenderTest::SetUp();
    // Terms in more than half the catalogue are pruned as uninformative; a
    // few unrelated items keep the action vocabulary below that share.
    for (int i = 0; i < 3; ++i) Write("comedy" + std::to_string(i), "Comedy", "jokes laughs", "comedy");
    Write("fresh-action", "Fresh", "explosions chase heist car", "action");
    View("newcomer", "fresh-action");
  }
  // An item write as the engine applies it: serving state, then the content
  // corpus (no index rebuild job runs).
  void Write(const std::string& id, const std::string& title, const std::string& text,
             const std::string& category) {
    domain::Item item;
    item.id = id;
    item.title = title;
    item.text = text;
    item.categories = {category};
    runtime_.state.UpsertItem(item);
    runtime_.content.Upsert(*runtime_.state.ItemIndex(id), serving::ContentDocumentOf(item));
  }
  // No item is presented as collaborative without a positive model score.
  static void ExpectHonest(const Recommendation& r) {
    for (const RecommendedItem& i : r.items) {
      ASSERT_FALSE(i.reasons.empty()) << i.item_id;
      const std::string& type = i.reasons[0].type;
      if (type == "collaborative" || type == "because_you") {
        EXPECT_GT(i.score, 0.0f) << i.item_id;
        EXPECT_TRUE(i.strategy == "itemknn" || i.strategy == "ease") << i.strategy;
      }
    }
  }
};

TEST_F(ColdStartTest, AHistoryOfOnlyANewItemIsAnsweredByContent) {
  absl::StatusOr<Recommendation> r =
      MakeRecommender().Recommend({.user_id = "newcomer", .n = 5, .explain = true});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->items.size(), 5u);
  EXPECT_EQ(r->model, "content");
  EXPECT_EQ(r->model_version, 0);
  ExpectHonest(*r);
  for (const RecommendedItem& i : r->items) {
    EXPECT_EQ(i.item_id[0], 'a') << i.item_id;
    EXPECT_EQ(i.strategy, "content");
    EXPECT_GT(i.score, 0.0f);
    EXPECT_EQ(i.reasons.at(0).type, "similar_content");
    EXPECT_EQ(i.reasons.at(0).item_id, "fresh-action");
  }
}

TEST_F(ColdStartTest, ACategoryWithoutContentEvidenceFallsToTrendingAndPopularity) {
  Recommender rec = MakeRecommender();
  absl::StatusOr<Recommendation> action =
      rec.Recommend({.user_id = "newcomer", .n = 10, .category = "action", .explain = true});
  ASSERT_TRUE(action.ok());
  ASSERT_EQ(action->items.size(), 10u);
  ExpectHonest(*action);
  for (const RecommendedItem& i : action->items) EXPECT_EQ(i.strategy, "content") << i.item_id;

  // Nothing in drama resembles the user's item: engagement decides, and says so.
  absl::StatusOr<Recommendation> drama =
      rec.Recommend({.user_id = "newcomer", .n = 10, .category = "drama", .explain = true});
  ASSERT_TRUE(drama.ok());
  ASSERT_EQ(drama->items.size(), 10u);
  ExpectHonest(*drama);
  for (const RecommendedItem& i : drama->items) {
    EXPECT_EQ(i.item_id[0], 'd');
    EXPECT_TRUE(i.strategy == "trending" || i.strategy == "popularity") << i.strategy;
    EXPECT_EQ(i.reasons.at(0).type, i.strategy == "trending" ? "trending" : "popular");
    EXPECT_GT(i.score, 0.0f);
  }
  EXPECT_EQ(drama->model, drama->items[0].strategy);
}

TEST_F(ColdStartTest, ANewItemIsSimilarToItsContentAsSoonAsItIsWritten) {
  absl::StatusOr<Recommendation> similar = MakeRecommender().Similar("fresh-action", 3, "", true);
  ASSERT_TRUE(similar.ok()) << similar.status();
  ASSERT_EQ(similar->items.size(), 3u);
  EXPECT_EQ(similar->model, "content");
  for (const RecommendedItem& i : similar->items) {
    EXPECT_EQ(i.item_id[0], 'a');
    EXPECT_EQ(i.strategy, "content");
    EXPECT_EQ(i.reasons.at(0).type, "similar_content");
  }
}

TEST_F(RecommenderTest, RankPutsDislikedLastReportsUnknownAndExplainsEachItem) {
  View("r", "a1");
  View("r", "a2");
  runtime_.state.ApplyEvent({"r", "a3", "dislike", std::nullopt, T(60)});
  absl::StatusOr<Recommendation> r = MakeRecommender().Rank("r", {"zzz", "a3", "a1", "a4"}, true);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->items.size(), 4u);
  EXPECT_EQ(r->items[0].item_id, "a4");
  EXPECT_EQ(r->items[0].strategy, "itemknn");
  EXPECT_EQ(r->model, "itemknn");
  EXPECT_GT(r->items[0].score, 0.0f);
  // The liked item: scored by real evidence, and marked as seen.
  EXPECT_EQ(r->items[1].item_id, "a1");
  EXPECT_NE(r->items[1].strategy, "none");
  EXPECT_GT(r->items[1].score, 0.0f);
  EXPECT_EQ(r->items[1].reasons.back().type, "seen");
  EXPECT_EQ(r->items[2].item_id, "a3");
  EXPECT_EQ(r->items[2].strategy, "disliked");
  EXPECT_EQ(r->items[2].reasons.at(0).type, "disliked");
  EXPECT_TRUE(r->items[2].known);
  EXPECT_EQ(r->items[3].item_id, "zzz");
  EXPECT_FALSE(r->items[3].known);
  EXPECT_EQ(r->items[3].strategy, "unknown");
  EXPECT_EQ(r->items[3].score, 0.0f);
}

TEST_F(RecommenderTest, BadRequestsNameTheField) {
  Recommender rec = MakeRecommender();
  absl::Status s = rec.Recommend({.user_id = "u", .n = 0}).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(s.ToString()).find("n"), std::string::npos);
  EXPECT_FALSE(rec.Recommend({.user_id = "u", .diversity = 1.5}).ok());
}

TEST(ParseWindowTest, HoursAndDays) {
  EXPECT_EQ(*ParseWindow("24h"), absl::Hours(24));
  EXPECT_EQ(*ParseWindow("7d"), absl::Hours(168));
  EXPECT_FALSE(ParseWindow("0h").ok());
  EXPECT_FALSE(ParseWindow("91d").ok());
  EXPECT_FALSE(ParseWindow("7w").ok());
  EXPECT_FALSE(ParseWindow("d").ok());
  EXPECT_FALSE(ParseWindow("1.5h").ok());
}

}  // namespace
}  // namespace tailor::recommend

namespace tailor::recommend {
namespace {

absl::Time T2(int64_t hours) { return absl::FromUnixSeconds(1'700'000'000 + hours * 3600); }

// The same tenant served with exact scoring and through the ANN index must
// give the same list (the catalogue is tiny, so the graph search is exact).
TEST(RecommenderAnnTest, AnnCandidatesMatchExactScoring) {
  auto fill = [](TenantRuntime& rt) {
    for (int i = 0; i < 60; ++i) {
      domain::Item item;
      item.id = "i" + std::to_string(i);
      rt.state.UpsertItem(item);
    }
    for (int u = 0; u < 300; ++u) {
      int group = u % 3;
      for (int k = 0; k < 8; ++k) {
        std::string item = "i" + std::to_string(group * 20 + (u * 7 + k * 3) % 20);
        rt.state.ApplyEvent({"u" + std::to_string(u), item, "view", std::nullopt, T2(k)});
      }
    }
  };
  TenantRuntime exact(1, serving::EventWeights(), nullptr, /*ann_min_items=*/1 << 30);
  TenantRuntime approx(2, serving::EventWeights(), nullptr, /*ann_min_items=*/1);
  fill(exact);
  fill(approx);
  ManualClock clock(T2(100));
  boost::json::object params{{"factors", 8}, {"epochs", 5}, {"num_threads", 1}};
  ASSERT_TRUE(jobs::TrainModel(exact, "ials", params, clock).ok());
  ASSERT_TRUE(jobs::TrainModel(approx, "ials", params, clock).ok());
  ASSERT_EQ(exact.registry.Current()->Find("ials")->ann, nullptr);
  ASSERT_NE(approx.registry.Current()->Find("ials")->ann, nullptr);
  Recommender a(exact, clock), b(approx, clock);
  for (const char* user : {"u0", "u1", "u2", "u10"}) {
    absl::StatusOr<Recommendation> ra = a.Recommend({.user_id = user, .n = 5});
    absl::StatusOr<Recommendation> rb = b.Recommend({.user_id = user, .n = 5});
    ASSERT_TRUE(ra.ok() && rb.ok());
    EXPECT_EQ(ra->model, "ials");
    ASSERT_EQ(ra->items.size(), rb->items.size());
    for (size_t k = 0; k < ra->items.size(); ++k) {
      EXPECT_EQ(ra->items[k].item_id, rb->items[k].item_id) << user << " " << k;
      EXPECT_NEAR(ra->items[k].score, rb->items[k].score, 1e-4);
    }
  }
}

}  // namespace
}  // namespace tailor::recommend
