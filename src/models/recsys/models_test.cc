#include <cmath>
#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include <gtest/gtest.h>

#include "models/recsys/ease_model.h"
#include "models/recsys/ials_model.h"
#include "models/recsys/item_knn_model.h"
#include "models/recsys/model_factory.h"
#include "models/recsys/params.h"
#include "models/recsys/popularity_model.h"
#include "models/recsys/rp3beta_model.h"
#include "models/recsys/test_util.h"

namespace tailor::recsys {
namespace {

using testing::Dense;
using testing::TinyMatrix;

TEST(PopularityModelTest, ScoresAreColumnCounts) {
  PopularityModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), {}).ok());
  Eigen::VectorXf s = m.Score({});
  std::vector<float> expected = {2, 3, 3, 2, 2, 2};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(s[i], expected[i]) << i;
}

TEST(PopularityModelTest, RejectsUnknownParam) {
  PopularityModel m;
  EXPECT_EQ(m.Fit(TinyMatrix(), {{"bogus", 1}}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(m.fitted());
}

// Direct dense computation of the documented cosine for every pair.
TEST(ItemKnnModelTest, MatchesDenseCosineWithShrink) {
  const double shrink = 2.0;
  ItemKnnModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), {{"topk", 10}, {"shrink", shrink}}).ok());
  Eigen::MatrixXd x = Dense(TinyMatrix());
  Eigen::MatrixXd w = Eigen::MatrixXd(m.similarity().cast<double>());
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      double expected =
          i == j ? 0.0 : x.col(i).dot(x.col(j)) / (x.col(i).norm() * x.col(j).norm() + shrink + 1e-6);
      EXPECT_NEAR(w(i, j), expected, 1e-6) << i << "," << j;
    }
  }
}

TEST(ItemKnnModelTest, TopKKeepsLargestPerTargetAndScoresSumRows) {
  ItemKnnModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), {{"topk", 1}, {"shrink", 0}}).ok());
  // Every column has at most one entry.
  Eigen::MatrixXd w = Eigen::MatrixXd(m.similarity().cast<double>());
  for (int j = 0; j < 6; ++j) EXPECT_LE((w.col(j).array() != 0).count(), 1) << j;
  // Item 0's best neighbour is item 1 (cos = 2/sqrt(6)).
  EXPECT_NEAR(w(1, 0), 2.0 / std::sqrt(6.0), 1e-6);
  Eigen::VectorXf s = m.Score({{1, 2.0f}, {99, 1.0f}});
  for (int j = 0; j < 6; ++j) EXPECT_NEAR(s[j], 2.0 * w(1, j), 1e-6);
}

TEST(ItemKnnModelTest, TfidfOnlyShapesSimilarity) {
  ItemKnnModel plain, tfidf;
  ASSERT_TRUE(plain.Fit(TinyMatrix(), {{"shrink", 0}}).ok());
  ASSERT_TRUE(tfidf.Fit(TinyMatrix(), {{"shrink", 0}, {"weighting", "tfidf"}}).ok());
  Eigen::MatrixXd a = Eigen::MatrixXd(plain.similarity().cast<double>());
  Eigen::MatrixXd b = Eigen::MatrixXd(tfidf.similarity().cast<double>());
  EXPECT_GT((a - b).cwiseAbs().maxCoeff(), 1e-3);  // user idf differ -> similarities differ
}

TEST(Rp3BetaModelTest, MatchesDenseDefinition) {
  const double alpha = 0.7, beta = 0.3;
  Rp3BetaModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), {{"alpha", alpha}, {"beta", beta}, {"topk", 100}, {"normalize", false}}).ok());
  Eigen::MatrixXd x = Dense(TinyMatrix());
  Eigen::MatrixXd pui = x, piu = x.transpose();
  for (int r = 0; r < pui.rows(); ++r) pui.row(r) /= pui.row(r).sum();
  for (int r = 0; r < piu.rows(); ++r) piu.row(r) /= piu.row(r).sum();
  pui = pui.array().pow(alpha).matrix();
  piu = piu.array().pow(alpha).matrix();
  Eigen::MatrixXd w = piu * pui;
  for (int j = 0; j < 6; ++j) w.col(j) *= std::pow(x.col(j).sum(), -beta);
  w.diagonal().setZero();
  Eigen::MatrixXd got = Eigen::MatrixXd(m.similarity().cast<double>());
  EXPECT_LT((got - w).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(EaseModelTest, MatchesDirectDenseSolve) {
  const double l2 = 0.5;
  EaseModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), {{"l2", l2}}).ok());
  Eigen::MatrixXd x = Dense(TinyMatrix());
  Eigen::MatrixXd g = x.transpose() * x;
  g.diagonal().array() += l2;
  Eigen::MatrixXd p = g.inverse();
  Eigen::MatrixXd b(6, 6);
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) b(i, j) = i == j ? 0.0 : -p(i, j) / p(j, j);
  }
  EXPECT_LT((m.weights().cast<double>() - b).cwiseAbs().maxCoeff(), 1e-5);
  // EASE solves min |X - XB|^2 + l2 |B|^2 s.t. diag(B)=0: check the
  // stationarity condition of that problem on the off-diagonal entries.
  Eigen::MatrixXd grad = x.transpose() * (x * b - x) + l2 * b;
  for (int i = 0; i < 6; ++i) grad(i, i) = 0;
  EXPECT_LT(grad.cwiseAbs().maxCoeff(), 1e-4);
  Eigen::VectorXf s = m.Score({{0, 1.0f}, {2, 3.0f}});
  for (int j = 0; j < 6; ++j) EXPECT_NEAR(s[j], b(0, j) + 3 * b(2, j), 1e-5);
}

TEST(IalsModelTest, LossDecreasesEveryEpoch) {
  IalsModel m;
  ASSERT_TRUE(m.Fit(TinyMatrix(), {{"factors", 3}, {"epochs", 8}, {"alpha", 5.0}, {"reg", 0.1},
                                   {"init_std", 0.5}, {"track_loss", true}})
                  .ok());
  const auto& loss = m.loss_history();
  ASSERT_EQ(loss.size(), 9u);
  for (size_t e = 1; e < loss.size(); ++e) EXPECT_LE(loss[e], loss[e - 1] + 1e-9) << e;
  EXPECT_LT(loss.back(), 0.5 * loss.front());
  EXPECT_DOUBLE_EQ(loss.back(), m.Loss(TinyMatrix()));
}

TEST(IalsModelTest, FoldInMatchesTrainedUserFactors) {
  IalsModel m;
  InteractionMatrix x = TinyMatrix();
  ASSERT_TRUE(m.Fit(x, {{"factors", 4}, {"epochs", 60}, {"alpha", 2.0}, {"reg", 0.05}, {"init_std", 0.3}}).ok());
  for (int u = 0; u < 5; ++u) {
    Eigen::VectorXd folded = m.FoldIn(RowHistory(x, u));
    Eigen::VectorXd trained = m.user_factors().col(u);
    // ALS converges slowly along its flat directions: ask for 1% here.
    EXPECT_LT((folded - trained).norm(), 1e-2 * trained.norm()) << u;
    for (int v = 0; v < 5; ++v) {
      if (v == u) continue;
      EXPECT_GT((folded - m.user_factors().col(v)).norm(), (folded - trained).norm());
    }
  }
  // Item 3 always comes with item 4, never with item 0.
  Eigen::VectorXf s = m.Score({{3, 1.0f}});
  EXPECT_GT(s[4], s[0]);
}

TEST(IalsModelTest, SameSeedSameFactorsAnyThreadCount) {
  IalsModel a, b;
  ASSERT_TRUE(a.Fit(TinyMatrix(), {{"factors", 3}, {"epochs", 3}, {"num_threads", 1}}).ok());
  ASSERT_TRUE(b.Fit(TinyMatrix(), {{"factors", 3}, {"epochs", 3}, {"num_threads", 2}}).ok());
  EXPECT_EQ(a.item_factors(), b.item_factors());
}

TEST(IalsModelTest, LogConfidenceValidatesEpsilon) {
  IalsModel m;
  EXPECT_EQ(m.Fit(TinyMatrix(), {{"confidence", "log"}, {"epsilon", 0.0}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.Fit(TinyMatrix(), {{"confidence", "cubic"}}).code(), absl::StatusCode::kInvalidArgument);
}

// Params that fit fast on TinyMatrix(); the blend mixes a neighbourhood and a
// factor model with "std" normalisation (the one that depends on the item count).
boost::json::object SmallParams(const std::string& name) {
  if (name == "ials") return {{"factors", 3}, {"epochs", 2}};
  if (name == "blend") {
    return *ParseParams(R"({"normalize": "std", "components": [{"model": "itemknn", "params": {"topk": 3}},
        {"model": "ials", "weight": 0.5, "params": {"factors": 3, "epochs": 2}}]})");
  }
  return {};
}

class SaveLoadTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SaveLoadTest, RoundTripKeepsScoresAndParams) {
  auto model = CreateModel(GetParam());
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE((*model)->Fit(TinyMatrix(), SmallParams(GetParam())).ok());
  ASSERT_TRUE((*model)->SetItemIds({"a", "b", "c", "d", "e", "f"}).ok());
  std::string path = (std::filesystem::temp_directory_path() /
                      ("tailor_model_" + GetParam() + "_" + std::to_string(::getpid()) + ".bin"))
                         .string();
  ASSERT_TRUE((*model)->Save(path).ok());
  auto loaded = LoadModel(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->Name(), GetParam());
  EXPECT_EQ((*loaded)->Params(), (*model)->Params());
  EXPECT_EQ((*loaded)->item_ids(), (*model)->item_ids());
  History h = {{0, 1.0f}, {4, 2.0f}};
  Eigen::VectorXf a = (*model)->Score(h), b = (*loaded)->Score(h);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-5);

  // A truncated file is DataLoss, not a crash.
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 5);
  EXPECT_EQ(LoadModel(path).status().code(), absl::StatusCode::kDataLoss);
  std::remove(path.c_str());

  // The in-memory form (models kept in the store) is the same bytes.
  absl::StatusOr<std::string> bytes = (*model)->Serialize();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto parsed = ParseModel(*bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)->item_ids(), (*model)->item_ids());
  Eigen::VectorXf c = (*parsed)->Score(h);
  EXPECT_LT((a - c).cwiseAbs().maxCoeff(), 1e-5);
  EXPECT_EQ(ParseModel(std::string_view(*bytes).substr(0, bytes->size() - 5)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(ParseModel("not a model at all").status().code(), absl::StatusCode::kDataLoss);
}

INSTANTIATE_TEST_SUITE_P(AllModels, SaveLoadTest,
                         ::testing::Values("popularity", "itemknn", "rp3beta", "ease", "ials", "blend"));

class ReindexTest : public ::testing::TestWithParam<std::string> {};

// Moving a model into another index space (another arrival order, more
// items) keeps every item's score under its new index; new items score 0.
TEST_P(ReindexTest, EveryItemKeepsItsScoreUnderItsNewIndex) {
  auto model = CreateModel(GetParam());
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE((*model)->Fit(TinyMatrix(), SmallParams(GetParam())).ok());
  const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f"};
  ASSERT_TRUE((*model)->SetItemIds(ids).ok());
  const History h = {{0, 1.0f}, {4, 2.0f}};
  const Eigen::VectorXf before = (*model)->Score(h);

  const std::vector<int32_t> to = {7, 2, 0, 5, 1, 3};
  std::vector<std::string> space = {"c", "e", "b", "f", "new1", "d", "new2", "a"};
  // Refused, model unchanged: a target taken twice, an id that does not
  // match, the wrong number of targets.
  EXPECT_EQ((*model)->Reindex({7, 2, 0, 5, 1, 1}, space).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*model)->Reindex({2, 7, 0, 5, 1, 3}, space).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*model)->Reindex({7, 2, 0}, space).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*model)->num_items(), 6);

  ASSERT_TRUE((*model)->Reindex(to, space).ok());
  EXPECT_EQ((*model)->num_items(), 8);
  EXPECT_EQ((*model)->item_ids(), space);
  const Eigen::VectorXf after = (*model)->Score({{to[0], 1.0f}, {to[4], 2.0f}});
  ASSERT_EQ(after.size(), 8);
  for (int32_t j = 0; j < 6; ++j) EXPECT_NEAR(after[to[j]], before[j], 1e-5) << ids[j];
  EXPECT_EQ(after[4], 0.0f);  // new1
  EXPECT_EQ(after[6], 0.0f);  // new2
  // A history naming only new items says nothing to the model.
  const Eigen::VectorXf unseen = (*model)->Score({{4, 1.0f}});
  if (GetParam() != "popularity") {
    EXPECT_EQ(unseen.cwiseAbs().maxCoeff(), 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(AllModels, ReindexTest,
                         ::testing::Values("popularity", "itemknn", "rp3beta", "ease", "ials", "blend"));

TEST(ModelTest, ItemIdsMustMatchTheModelAndBeDistinct) {
  PopularityModel m;
  EXPECT_EQ(m.SetItemIds({"a"}).code(), absl::StatusCode::kInvalidArgument);  // unfitted
  ASSERT_TRUE(m.Fit(TinyMatrix(), {}).ok());
  EXPECT_EQ(m.SetItemIds({"a", "b"}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.SetItemIds({"a", "b", "c", "d", "e", "a"}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(m.item_ids().empty());
  EXPECT_EQ(m.Reindex({0, 1, 2, 3, 4, 5}, {"a", "b", "c", "d", "e", "f"}).code(),
            absl::StatusCode::kInvalidArgument);  // identity unknown
}

TEST(ModelFileTest, ForeignFileAndUnknownNameAreRejected) {
  std::string path = (std::filesystem::temp_directory_path() / "tailor_not_a_model.bin").string();
  {
    BinaryWriter w(path);
    w.String("hello, this is not a model");
    ASSERT_TRUE(w.Close().ok());
  }
  EXPECT_EQ(LoadModel(path).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(LoadModel("/nonexistent/dir/model.bin").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(CreateModel("svd++").status().code(), absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

TEST(ModelTest, UnfittedModelCannotBeSaved) {
  EaseModel m;
  EXPECT_EQ(m.Save("/tmp/x.bin").code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tailor::recsys
