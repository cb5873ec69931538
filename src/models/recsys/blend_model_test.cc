#include "models/recsys/blend_model.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "models/recsys/ials_model.h"
#include "models/recsys/item_knn_model.h"
#include "models/recsys/params.h"
#include "models/recsys/popularity_model.h"
#include "models/recsys/test_util.h"

namespace tailor::recsys {
namespace {

using testing::TinyMatrix;

boost::json::object Json(const char* text) { return *ParseParams(text); }

TEST(BlendModelTest, ScoresAreTheWeightedSumOfNormalisedComponents) {
  ItemKnnModel knn;
  ASSERT_TRUE(knn.Fit(TinyMatrix(), {{"topk", 3}, {"shrink", 0.0}, {"num_threads", 1}}).ok());
  PopularityModel pop;
  ASSERT_TRUE(pop.Fit(TinyMatrix(), {}).ok());
  const History h = {{0, 1.0f}, {3, 1.0f}};
  const Eigen::VectorXd a = knn.Score(h).cast<double>(), b = pop.Score(h).cast<double>();
  for (const char* norm : {"max", "std", "none"}) {
    BlendModel m;
    boost::json::object p = Json(R"({"components": [
        {"model": "itemknn", "weight": 2.0, "params": {"topk": 3, "shrink": 0.0}},
        {"model": "popularity", "weight": 0.5}], "num_threads": 1})");
    p["normalize"] = norm;
    ASSERT_TRUE(m.Fit(TinyMatrix(), p).ok()) << norm;
    double na = 1, nb = 1;
    if (std::string(norm) == "max") {
      na = a.cwiseAbs().maxCoeff();
      nb = b.cwiseAbs().maxCoeff();
    } else if (std::string(norm) == "std") {
      na = std::sqrt((a.array() - a.mean()).square().mean());
      nb = std::sqrt((b.array() - b.mean()).square().mean());
    }
    const Eigen::VectorXd want = 2.0 * a / na + 0.5 * b / nb;
    const Eigen::VectorXd got = m.Score(h).cast<double>();
    ASSERT_EQ(got.size(), 6);
    EXPECT_LT((got - want).cwiseAbs().maxCoeff(), 1e-5) << norm;
  }
}

TEST(BlendModelTest, ConstantComponentContributesNothing) {
  BlendModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), {{"normalize", "std"}}).ok());
  EXPECT_EQ(m.Normalized(Eigen::VectorXf::Constant(6, 3.0f)), Eigen::VectorXf::Zero(6));
  EXPECT_EQ(m.Normalized(Eigen::VectorXf::Zero(6)), Eigen::VectorXf::Zero(6));
}

TEST(BlendModelTest, KnownUsersUseTheirComponentsTrainedState) {
  IalsModel ials;
  const boost::json::object ip = {{"factors", 3}, {"epochs", 3}, {"num_threads", 1}, {"seed", 5}};
  ASSERT_TRUE(ials.Fit(TinyMatrix(), ip).ok());
  BlendModel m;
  boost::json::object p = {{"components", boost::json::array{boost::json::object{{"model", "ials"}, {"params", ip}}}},
                           {"normalize", "none"}};
  ASSERT_TRUE(m.Fit(TinyMatrix(), p).ok());
  const History h = {{0, 1.0f}, {1, 1.0f}};
  // User 0's trained factors, not a fold-in of the history.
  EXPECT_LT((m.ScoreKnownUser(0, h) - ials.ScoreKnownUser(0, h)).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LT((m.Score(h) - ials.Score(h)).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(BlendModelTest, ParamsReproduceTheModel) {
  BlendModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), Json(R"({"components": [
      {"model": "itemknn", "params": {"topk": 2}},
      {"model": "ials", "weight": 0.3, "params": {"factors": 2, "epochs": 2}}], "seed": 9, "num_threads": 1})"))
                  .ok());
  const boost::json::object p = m.Params();
  const auto& comps = p.at("components").as_array();
  ASSERT_EQ(comps.size(), 2u);
  // Every effective component param is listed, including the forwarded seed.
  EXPECT_EQ(comps[1].as_object().at("params").as_object().at("seed").to_number<int64_t>(), 9);
  // ... and the component's defaults, as the component itself reports them.
  ItemKnnModel knn;
  ASSERT_TRUE(knn.Fit(TinyMatrix(), {{"topk", 2}, {"num_threads", 1}}).ok());
  EXPECT_EQ(comps[0].as_object().at("params").as_object(), knn.Params());
  BlendModel again;
  ASSERT_TRUE(again.Fit(TinyMatrix(), p).ok());
  EXPECT_EQ(again.Params(), p);
  const History h = {{2, 1.0f}};
  EXPECT_LT((again.Score(h) - m.Score(h)).cwiseAbs().maxCoeff(), 1e-6);
}

// The item ids are stored once for the whole blend; a blend reindexed into a
// larger space (unseen items) and saved loads back with the same ids and the
// same scores, "std" normalisation included.
TEST(BlendModelTest, ReindexedBlendSurvivesSaveAndLoad) {
  BlendModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), Json(R"({"normalize": "std", "num_threads": 1, "components": [
      {"model": "itemknn", "params": {"topk": 3}}, {"model": "popularity", "weight": 0.7}]})"))
                  .ok());
  ASSERT_TRUE(m.SetItemIds({"a", "b", "c", "d", "e", "f"}).ok());
  const Eigen::VectorXf before = m.Score({{0, 1.0f}, {4, 1.0f}});
  const std::vector<int32_t> to = {7, 2, 0, 5, 1, 3};
  ASSERT_TRUE(m.Reindex(to, {"c", "e", "b", "f", "new1", "d", "new2", "a"}).ok());
  const Eigen::VectorXf after = m.Score({{7, 1.0f}, {1, 1.0f}});
  ASSERT_EQ(after.size(), 8);
  for (int32_t j = 0; j < 6; ++j) EXPECT_NEAR(after[to[j]], before[j], 1e-5) << j;

  const std::string path = ::testing::TempDir() + "/tailor_blend_reindexed.bin";
  ASSERT_TRUE(m.Save(path).ok());
  auto loaded = LoadModel(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Name(), "blend");
  EXPECT_EQ((*loaded)->num_items(), 8);
  EXPECT_EQ((*loaded)->item_ids(), m.item_ids());
  const Eigen::VectorXf again = (*loaded)->Score({{7, 1.0f}, {1, 1.0f}});
  EXPECT_LT((again - after).cwiseAbs().maxCoeff(), 1e-6);
  std::remove(path.c_str());
}

TEST(BlendModelTest, RejectsBadComponents) {
  const char* bad[] = {
      R"({"components": []})",
      R"({"components": [{"model": "blend"}]})",
      R"({"components": [{"model": "svd++"}]})",
      R"({"components": [{"model": "itemknn", "weight": -1}]})",
      R"({"components": [{"model": "itemknn", "weight": 0}]})",
      R"({"components": [{"model": "itemknn", "wieght": 1}]})",
      R"({"components": [{"model": "itemknn", "params": {"l2": 1}}]})",
      R"({"components": [{"model": "itemknn", "params": 3}]})",
      R"({"components": [3]})",
      R"({"normalize": "rank"})",
  };
  for (const char* text : bad) {
    BlendModel m;
    EXPECT_EQ(m.Fit(TinyMatrix(), Json(text)).code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_FALSE(m.fitted());
  }
}

}  // namespace
}  // namespace tailor::recsys
