#include "eval/evaluator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "eval/readers.h"
#include "eval/search.h"
#include "models/recsys/item_knn_model.h"
#include "models/recsys/model_factory.h"
#include "models/recsys/params.h"
#include "models/recsys/popularity_model.h"

namespace tailor::eval {
namespace {

TEST(RankTopKTest, ExcludesHistoryBreaksTiesByIndexAndHonoursCandidates) {
  Eigen::VectorXf s(6);
  s << 0.5f, 0.9f, 0.5f, NAN, 0.1f, 0.9f;
  EXPECT_EQ(RankTopK(s, {{1, 1.0f}}, {}, 4), (std::vector<int32_t>{5, 0, 2, 4}));
  EXPECT_EQ(RankTopK(s, {}, {3, 4, 2}, 10), (std::vector<int32_t>{2, 4, 3}));
}

TEST(RankTopKTest, RandomTieBreakIsSeededAndOnlyReordersTies) {
  Eigen::VectorXf s = Eigen::VectorXf::Zero(50);
  s[7] = 1.0f;
  std::vector<int32_t> a = RankTopK(s, {}, {}, 50, 1), b = RankTopK(s, {}, {}, 50, 1);
  std::vector<int32_t> c = RankTopK(s, {}, {}, 50, 2), idx = RankTopK(s, {}, {}, 50);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a[0], 7);
  EXPECT_EQ(c[0], 7);
  EXPECT_EQ(idx[1], 0);
  std::sort(a.begin(), a.end());
  ASSERT_EQ(a.size(), 50u);  // a permutation of 0..49
  for (int i = 0; i < 50; ++i) EXPECT_EQ(a[i], i);
}

TEST(RankTopKTest, RemovesHistoryFromGivenCandidatesToo) {
  Eigen::VectorXf s(6);
  s << 0.5f, 0.9f, 0.5f, NAN, 0.1f, 0.9f;
  EXPECT_EQ(RankTopK(s, {{1, 1.0f}, {4, 1.0f}}, {1, 2, 4, 5}, 10), (std::vector<int32_t>{5, 2}));
}

// Given candidate lists (as read from an NCF-style negatives file) that hold
// one of the user's own training items: removed by default, kept on request.
TEST(EvaluateTest, SeenCandidatesAreExcludedUnlessKept) {
  EvalSplit s;
  s.train.num_users = 3;
  s.train.num_items = 4;
  // Popularity: item 0 (3 users) > item 1 (2) > item 2 (1) > item 3 (0).
  s.train.interactions = {{0, 0, 1, 0}, {1, 0, 1, 0}, {2, 0, 1, 0}, {1, 1, 1, 0}, {2, 1, 1, 0}, {2, 2, 1, 0}};
  // User 0 has seen item 0, and the fixed negatives {0, 3} contain it.
  s.cases.push_back({0, {{0, 1.0f}}, {1}, {1, 0, 3}});
  recsys::PopularityModel m;
  ASSERT_TRUE(m.Fit(s.train.ToMatrix(), {}).ok());
  EvalOptions o;
  o.cutoffs = {1};
  auto excluded = Evaluate(m, s, o);
  ASSERT_TRUE(excluded.ok()) << excluded.status();
  EXPECT_DOUBLE_EQ(*FindMetric(*excluded, "HR@1"), 1.0);  // ranking [1, 3]
  EXPECT_DOUBLE_EQ(*FindMetric(*excluded, "NDCG@1"), 1.0);
  o.keep_seen = true;
  auto kept = Evaluate(m, s, o);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_DOUBLE_EQ(*FindMetric(*kept, "HR@1"), 0.0);  // ranking [0, 1, 3]
  // All-items ranking obeys the same switch.
  s.cases[0].candidates.clear();
  EXPECT_DOUBLE_EQ(*FindMetric(*Evaluate(m, s, o), "HR@1"), 0.0);
  o.keep_seen = false;
  EXPECT_DOUBLE_EQ(*FindMetric(*Evaluate(m, s, o), "HR@1"), 1.0);
}

// Popularity on a split where the answer is known by hand.
TEST(EvaluateTest, PopularityOnHandMadeSplit) {
  EvalSplit s;
  s.train.num_users = 3;
  s.train.num_items = 4;
  // item 0 popular (3), item 1 (2), item 2 (1), item 3 (0)
  s.train.interactions = {{0, 0, 1, 0}, {1, 0, 1, 0}, {2, 0, 1, 0}, {1, 1, 1, 0}, {2, 1, 1, 0}, {2, 2, 1, 0}};
  s.cases.push_back({0, {{0, 1.0f}}, {2}, {}});      // ranking [1, 2, 3]: hit at rank 2
  s.cases.push_back({1, {{0, 1.0f}, {1, 1.0f}}, {3}, {}});  // ranking [2, 3]: hit at rank 2
  recsys::PopularityModel m;
  ASSERT_TRUE(m.Fit(s.train.ToMatrix(), {}).ok());
  EvalOptions o;
  o.cutoffs = {1, 2};
  o.tie_break = TieBreak::kIndex;
  auto r = Evaluate(m, s, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_DOUBLE_EQ(*FindMetric(*r, "Recall@1"), 0.0);
  EXPECT_DOUBLE_EQ(*FindMetric(*r, "Recall@2"), 1.0);
  EXPECT_DOUBLE_EQ(*FindMetric(*r, "MRR@2"), 0.5);
  EXPECT_DOUBLE_EQ(*FindMetric(*r, "NDCG@2"), 1.0 / std::log2(3.0));
  EXPECT_DOUBLE_EQ(*FindMetric(*r, "Coverage@1"), 2.0 / 4.0);  // {1, 2}
  EXPECT_DOUBLE_EQ(*FindMetric(*r, "users"), 2.0);
  o.num_threads = 1;
  EXPECT_EQ(*Evaluate(m, s, o), *r);
}

TEST(EvaluateTest, RejectsMismatchedModel) {
  EvalSplit s;
  s.train.num_users = 1;
  s.train.num_items = 9;
  recsys::PopularityModel m;
  EXPECT_EQ(Evaluate(m, s, {}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SearchTest, GridFindsTheBestOfItsTrials) {
  Dataset d;
  d.num_users = 40;
  d.num_items = 20;
  for (int32_t u = 0; u < 40; ++u) {
    for (int32_t k = 0; k < 5; ++k) d.interactions.push_back({u, (u % 4) * 5 + k, 1.0f, k});
  }
  Random rng(1);
  EvalSplit v = MakeSplit(d, {.kind = ProtocolKind::kRandomHoldout, .holdout_fraction = 0.2}, rng);
  SearchOptions o;
  o.mode = "random";
  o.trials = 5;
  o.target = "Recall@5";
  EvalOptions eo;
  eo.cutoffs = {5};
  auto r = Search("itemknn", {{"num_threads", 1}}, v, eo, o, rng);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->trials.size(), 5u);
  for (const Trial& t : r->trials) EXPECT_LE(t.value, r->best_value);
  EXPECT_GT(r->best_value, 0.9);  // four disjoint clusters: item-kNN finds the held-out item
}

TEST(SearchTest, ObjectiveAveragesACommaSeparatedTarget) {
  const MetricList m = {{"Recall@5", 0.2}, {"Recall@10", 0.4}, {"NDCG@5", 0.9}};
  EXPECT_DOUBLE_EQ(*Objective(m, "Recall@5"), 0.2);
  EXPECT_DOUBLE_EQ(*Objective(m, "Recall@5,Recall@10"), 0.3);
  EXPECT_EQ(Objective(m, "Recall@5,Recall@20").status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(Objective(m, "").ok());
}

TEST(SearchTest, GivenSpaceReplacesTheDefaultGrid) {
  Dataset d;
  d.num_users = 40;
  d.num_items = 20;
  for (int32_t u = 0; u < 40; ++u) {
    for (int32_t k = 0; k < 5; ++k) d.interactions.push_back({u, (u % 4) * 5 + k, 1.0f, k});
  }
  Random rng(1);
  EvalSplit v = MakeSplit(d, {.kind = ProtocolKind::kRandomHoldout, .holdout_fraction = 0.2}, rng);
  // Two blends: popularity alone (every item equally popular here: a blind
  // guess) and item-kNN alone (finds the held-out cluster item).
  auto space = ParseSearchSpace(*recsys::ParseParams(R"({"normalize": ["max"], "components": [
      [{"model": "popularity"}], [{"model": "itemknn", "params": {"topk": 10}}]]})"));
  ASSERT_TRUE(space.ok()) << space.status();
  SearchOptions o;
  o.mode = "grid";
  o.space = *space;
  o.target = "Recall@5,Recall@10";
  EvalOptions eo;
  eo.cutoffs = {5, 10};
  auto r = Search("blend", {{"num_threads", 1}}, v, eo, o, rng);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->trials.size(), 2u);  // exactly the given grid
  auto kind = [](const boost::json::object& p) {
    return std::string(p.at("components").as_array()[0].as_object().at("model").as_string());
  };
  EXPECT_EQ(kind(r->trials[0].params), "popularity");
  EXPECT_EQ(kind(r->trials[1].params), "itemknn");
  EXPECT_GT(r->trials[1].value, r->trials[0].value + 0.3);
  EXPECT_EQ(kind(r->best_params), "itemknn");
  EXPECT_DOUBLE_EQ(r->best_value, r->trials[1].value);
  // The objective is the mean of the two recalls of that trial.
  auto m = recsys::CreateModel("blend");
  ASSERT_TRUE((*m)->Fit(v.train.ToMatrix(), r->best_params).ok());
  auto metrics = Evaluate(**m, v, eo);
  ASSERT_TRUE(metrics.ok());
  EXPECT_NEAR(r->best_value, (*FindMetric(*metrics, "Recall@5") + *FindMetric(*metrics, "Recall@10")) / 2, 1e-9);
  EXPECT_FALSE(ParseSearchSpace(*recsys::ParseParams(R"({"topk": []})")).ok());
  EXPECT_FALSE(ParseSearchSpace(*recsys::ParseParams(R"({"topk": 5})")).ok());
}

// The calibration target: CiteULike-a P=10 with the published protocol
// (README in the data folder). Published Recall@50..300 rows of Table 16.
class CiteULikeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = std::string(TAILOR_SHARED_DATA) + "/citeulike-a-cvae/";
    if (!std::filesystem::exists(dir + "cf-train-10-users.dat")) {
      GTEST_SKIP() << "CiteULike-a data not found under " << dir;
    }
    auto data = ReadCiteULike(dir + "cf-train-10-users.dat", dir + "cf-test-10-users.dat");
    ASSERT_TRUE(data.ok()) << data.status();
    split_ = MakeGivenSplit(*data);
    options_.cutoffs = {50, 100, 150, 200, 250, 300};
    options_.tie_break = TieBreak::kRandom;  // as arbitrary as the published code's
    options_.seed = 42;
  }
  void ExpectRow(const recsys::Model& m, const std::vector<double>& published, double tolerance) {
    ASSERT_EQ(split_.cases.size(), 5139u);
    auto r = Evaluate(m, split_, options_);
    ASSERT_TRUE(r.ok()) << r.status();
    for (size_t j = 0; j < published.size(); ++j) {
      const std::string name = "Recall@" + std::to_string(options_.cutoffs[j]);
      EXPECT_NEAR(*FindMetric(*r, name), published[j], tolerance) << name;
    }
  }
  EvalSplit split_;
  EvalOptions options_;
};

TEST_F(CiteULikeTest, ItemKnnReproducesPublishedRow) {
  recsys::ItemKnnModel m;
  ASSERT_TRUE(m.Fit(split_.train.ToMatrix(),
                    {{"topk", 423}, {"shrink", 936}, {"normalize", true}, {"weighting", "tfidf"}})
                  .ok());
  ExpectRow(m, {.0989, .1441, .1752, .1982, .2156, .2300}, 6e-4);
}

TEST_F(CiteULikeTest, PopularityReproducesPublishedRow) {
  recsys::PopularityModel m;
  ASSERT_TRUE(m.Fit(split_.train.ToMatrix(), {}).ok());
  ExpectRow(m, {.0040, .0078, .0103, .0204, .0230, .0258}, 6e-4);
}

}  // namespace
}  // namespace tailor::eval
