#include "serving/ann_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/random.h"

namespace tailor::serving {
namespace {

// Item vectors shaped like trained factors: a few taste clusters plus noise,
// with varied norms (popular items have longer vectors).
Eigen::MatrixXf FactorLike(int dims, int items, Random& rng) {
  const int clusters = 50;
  Eigen::MatrixXf centers(dims, clusters);
  for (int c = 0; c < clusters; ++c) {
    for (int d = 0; d < dims; ++d) centers(d, c) = static_cast<float>(rng.Normal(0, 1));
  }
  Eigen::MatrixXf v(dims, items);
  for (int j = 0; j < items; ++j) {
    int c = static_cast<int>(rng.UniformInt(clusters));
    float scale = static_cast<float>(std::exp(rng.Normal(0, 0.3)));
    for (int d = 0; d < dims; ++d) {
      v(d, j) = scale * (centers(d, c) + static_cast<float>(rng.Normal(0, 0.5)));
    }
  }
  return v;
}

std::vector<int32_t> ExactTop(const Eigen::MatrixXf& v, const Eigen::VectorXf& q, size_t k) {
  Eigen::VectorXf s = v.transpose() * q;
  std::vector<int32_t> idx(s.size());
  for (int32_t i = 0; i < s.size(); ++i) idx[i] = i;
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                    [&](int32_t a, int32_t b) { return s[a] > s[b]; });
  idx.resize(k);
  return idx;
}

TEST(AnnIndexTest, RecallAtTenAgainstExactSearchIsAtLeastPointNineFive) {
  Random rng(7);
  const int dims = 32;
  Eigen::MatrixXf items = FactorLike(dims, 20000, rng);
  std::unique_ptr<AnnIndex> ann = AnnIndex::Build(items);
  ASSERT_EQ(ann->size(), 20000);
  int hits = 0;
  const int queries = 200;
  for (int q = 0; q < queries; ++q) {
    // Users look like a mix of two items' tastes.
    Eigen::VectorXf user = items.col(static_cast<int>(rng.UniformInt(20000))) +
                           items.col(static_cast<int>(rng.UniformInt(20000)));
    std::vector<int32_t> exact = ExactTop(items, user, 10);
    std::set<int32_t> truth(exact.begin(), exact.end());
    std::vector<ScoredIndex> found = ann->Search(user, 10);
    ASSERT_EQ(found.size(), 10u);
    for (size_t i = 1; i < found.size(); ++i) EXPECT_GE(found[i - 1].score, found[i].score);
    for (const ScoredIndex& f : found) hits += truth.contains(f.item);
  }
  double recall = static_cast<double>(hits) / (queries * 10);
  RecordProperty("recall_at_10", std::to_string(recall));
  EXPECT_GE(recall, 0.95);
}

TEST(AnnIndexTest, ScoresAreInnerProductsAndEdgeCasesAreEmpty) {
  Eigen::MatrixXf items(2, 3);
  items << 1, 0, 2,
           0, 1, 2;
  std::unique_ptr<AnnIndex> ann = AnnIndex::Build(items);
  Eigen::VectorXf q(2);
  q << 1, 0;
  std::vector<ScoredIndex> top = ann->Search(q, 5);  // k above size is clamped
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].item, 2);
  EXPECT_FLOAT_EQ(top[0].score, 2.0f);
  EXPECT_EQ(top[1].item, 0);
  EXPECT_TRUE(ann->Search(Eigen::VectorXf::Zero(3), 2).empty());  // wrong dimension
  EXPECT_TRUE(ann->Search(q, 0).empty());
}

}  // namespace
}  // namespace tailor::serving
