#include "eval/metrics.h"

#include <cmath>

#include <gtest/gtest.h>

namespace tailor::eval {
namespace {

// ranked = [5, 1, 7, 3, 9], relevant = {1, 3, 4}: hits at ranks 2 and 4.
TEST(MetricsTest, HandComputedExample) {
  std::vector<int32_t> ranked = {5, 1, 7, 3, 9};
  std::vector<int32_t> relevant = {1, 3, 4};
  RankingMetrics m = ComputeAtK(ranked, relevant, 5, RecallKind::kOverRelevant);
  EXPECT_DOUBLE_EQ(m.recall, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.precision, 2.0 / 5.0);
  const double dcg = 1 / std::log2(3.0) + 1 / std::log2(5.0);
  const double idcg = 1 + 1 / std::log2(3.0) + 1 / std::log2(4.0);
  EXPECT_NEAR(m.ndcg, dcg / idcg, 1e-12);
  EXPECT_NEAR(m.map, (1.0 / 2 + 2.0 / 4) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(m.mrr, 0.5);
  EXPECT_DOUBLE_EQ(m.hr, 1.0);
}

TEST(MetricsTest, CutoffShorterThanRelevantSet) {
  std::vector<int32_t> ranked = {5, 1, 7, 3, 9};
  std::vector<int32_t> relevant = {1, 3, 4};
  RankingMetrics a = ComputeAtK(ranked, relevant, 2, RecallKind::kOverRelevant);
  RankingMetrics b = ComputeAtK(ranked, relevant, 2, RecallKind::kOverMinKRelevant);
  EXPECT_DOUBLE_EQ(a.recall, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(b.recall, 1.0 / 2.0);
  EXPECT_NEAR(a.ndcg, (1 / std::log2(3.0)) / (1 + 1 / std::log2(3.0)), 1e-12);
  EXPECT_DOUBLE_EQ(a.map, (1.0 / 2) / 2);
  EXPECT_DOUBLE_EQ(a.precision, 0.5);
}

TEST(MetricsTest, MissAndPerfect) {
  std::vector<int32_t> relevant = {2};
  RankingMetrics miss = ComputeAtK(std::vector<int32_t>{0, 1}, relevant, 2, RecallKind::kOverRelevant);
  EXPECT_EQ(miss.recall, 0);
  EXPECT_EQ(miss.ndcg, 0);
  EXPECT_EQ(miss.mrr, 0);
  EXPECT_EQ(miss.hr, 0);
  RankingMetrics hit = ComputeAtK(std::vector<int32_t>{2, 1}, relevant, 2, RecallKind::kOverRelevant);
  EXPECT_EQ(hit.recall, 1);
  EXPECT_EQ(hit.ndcg, 1);
  EXPECT_EQ(hit.map, 1);
  // Leave-one-out: NDCG of a single item at rank 3 is 1/log2(4).
  RankingMetrics third = ComputeAtK(std::vector<int32_t>{0, 1, 2}, relevant, 10, RecallKind::kOverRelevant);
  EXPECT_DOUBLE_EQ(third.ndcg, 0.5);
  EXPECT_DOUBLE_EQ(third.hr, 1);
  EXPECT_EQ(ComputeAtK(std::vector<int32_t>{1}, {}, 5, RecallKind::kOverRelevant).recall, 0);
}

}  // namespace
}  // namespace tailor::eval
