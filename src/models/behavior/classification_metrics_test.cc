#include "models/behavior/classification_metrics.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace tailor::behavior {
namespace {

std::vector<uint8_t> Labels(std::initializer_list<int> v) { return {v.begin(), v.end()}; }

TEST(RocAucTest, PerfectInvertedAndTied) {
  std::vector<uint8_t> y = Labels({0, 0, 1, 1});
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{.1, .2, .8, .9}, y), 1.0);
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{.9, .8, .2, .1}, y), 0.0);
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{.5, .5, .5, .5}, y), 0.5);
  // One positive below one negative: 3 of 4 pairs ordered.
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{.1, .6, .5, .9}, y), 0.75);
}

TEST(RocAucTest, OneClassIsNan) {
  std::vector<uint8_t> y = Labels({1, 1});
  EXPECT_TRUE(std::isnan(RocAuc(std::vector<double>{.1, .2}, y)));
}

TEST(EvaluateProbabilitiesTest, BrierLogLossAndBins) {
  std::vector<double> p = {0.05, 0.15, 0.95, 0.85};
  std::vector<uint8_t> y = Labels({0, 1, 1, 1});
  BinaryMetrics m = EvaluateProbabilities(p, y, 10);
  EXPECT_EQ(m.count, 4);
  EXPECT_EQ(m.positives, 3);
  EXPECT_DOUBLE_EQ(m.base_rate, 0.75);
  EXPECT_NEAR(m.brier, (0.0025 + 0.7225 + 0.0025 + 0.0225) / 4, 1e-12);
  EXPECT_NEAR(m.log_loss,
              -(std::log(0.95) + std::log(0.15) + std::log(0.95) + std::log(0.85)) / 4, 1e-12);
  EXPECT_EQ(m.bins[1].count, 1);
  EXPECT_DOUBLE_EQ(m.bins[1].observed_rate, 1.0);
  EXPECT_DOUBLE_EQ(m.bins[9].mean_predicted, 0.95);
  // |.05-0| + |.15-1| + |.85-1| + |.95-1|, each weighted 1/4.
  EXPECT_NEAR(m.ece, (0.05 + 0.85 + 0.15 + 0.05) / 4, 1e-12);
  EXPECT_DOUBLE_EQ(m.auc, 1.0);
}

}  // namespace
}  // namespace tailor::behavior
