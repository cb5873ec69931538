#include "models/behavior/logistic_model.h"

#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "models/behavior/classification_metrics.h"

namespace tailor::behavior {
namespace {

struct Data {
  std::vector<double> rows;
  std::vector<uint8_t> labels;
  std::span<const uint8_t> y() const { return labels; }
};

// y ~ Bernoulli(sigmoid(1.5 x0 - 2 x1 + 0.5)); x2 is constant noise-free.
Data Simulate(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Data d;
  for (int i = 0; i < n; ++i) {
    const double x0 = normal(rng), x1 = normal(rng);
    const double p = 1.0 / (1.0 + std::exp(-(1.5 * x0 - 2.0 * x1 + 0.5)));
    d.rows.insert(d.rows.end(), {x0, x1, 7.0});
    d.labels.push_back(uniform(rng) < p ? 1 : 0);
  }
  return d;
}

TEST(LogisticModelTest, RecoversGeneratingWeightsAndIsCalibrated) {
  Data train = Simulate(20000, 1);
  absl::StatusOr<LogisticModel> m = FitLogistic(train.rows, 3, train.y());
  ASSERT_TRUE(m.ok()) << m.status();
  // Standardised weights are the true ones times the feature's deviation (1).
  EXPECT_NEAR(m->weight[0], 1.5, 0.1);
  EXPECT_NEAR(m->weight[1], -2.0, 0.1);
  EXPECT_DOUBLE_EQ(m->weight[2], 0.0);
  EXPECT_NEAR(m->bias, 0.5, 0.1);

  Data test = Simulate(20000, 2);
  std::vector<double> p;
  for (size_t i = 0; i < test.labels.size(); ++i) {
    p.push_back(m->Probability(std::span<const double>(&test.rows[i * 3], 3)));
  }
  BinaryMetrics metrics = EvaluateProbabilities(p, test.y());
  EXPECT_GT(metrics.auc, 0.85);
  EXPECT_LT(metrics.ece, 0.02);
}

TEST(LogisticModelTest, JsonRoundTrip) {
  Data train = Simulate(500, 3);
  LogisticModel m = *FitLogistic(train.rows, 3, train.y());
  absl::StatusOr<LogisticModel> back = LogisticModel::FromJson(m.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  std::vector<double> x = {0.3, -0.2, 7.0};
  EXPECT_DOUBLE_EQ(back->Probability(x), m.Probability(x));
  std::vector<double> outside = {40.0, -0.2, 7.0};
  EXPECT_DOUBLE_EQ(back->Probability(outside), m.Probability(outside));
  EXPECT_FALSE(LogisticModel::FromJson(boost::json::object{{"mean", 1}}).ok());
}

// A feature that hardly varied in training must not turn a value far
// outside that range into a certainty.
TEST(LogisticModelTest, DoesNotExtrapolateBeyondTheTrainingRange) {
  std::mt19937 rng(4);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  std::vector<double> rows;
  std::vector<uint8_t> labels;
  for (int i = 0; i < 5000; ++i) {
    const double x0 = normal(rng), x1 = 60.0 + 0.01 * normal(rng);
    const double p = 1.0 / (1.0 + std::exp(-(x0 + 100.0 * (x1 - 60.0))));
    rows.insert(rows.end(), {x0, x1});
    labels.push_back(uniform(rng) < p ? 1 : 0);
  }
  LogisticModel m = *FitLogistic(rows, 2, labels);
  EXPECT_NEAR(m.lower[1], 60.0, 0.05);
  EXPECT_NEAR(m.upper[1], 60.0, 0.05);
  // x1 = 0 is thousands of training deviations away: weighed as the
  // training minimum, not extrapolated to probability 0.
  std::vector<double> fresh = {0.0, 0.0}, at_min = {0.0, m.lower[1]};
  EXPECT_DOUBLE_EQ(m.Probability(fresh), m.Probability(at_min));
  EXPECT_GT(m.Probability(fresh), 0.005);
  EXPECT_DOUBLE_EQ(m.Contributions(fresh)[1], m.Contributions(at_min)[1]);
}

TEST(LogisticModelTest, RejectsOneClassAndBadSizes) {
  std::vector<double> rows = {1, 2};
  std::vector<uint8_t> y = {1, 1};
  EXPECT_EQ(FitLogistic(rows, 1, y).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FitLogistic(rows, 2, y).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<double> nan_rows = {1, NAN};
  std::vector<uint8_t> two = {0, 1};
  EXPECT_FALSE(FitLogistic(nan_rows, 1, two).ok());
}

}  // namespace
}  // namespace tailor::behavior
