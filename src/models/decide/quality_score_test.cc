#include "models/decide/quality_score.h"

#include <cmath>

#include "gtest/gtest.h"

namespace tailor::decide {
namespace {

TEST(QualityScoreTest, Components) {
  EXPECT_DOUBLE_EQ(DataConfidence(0), 0.0);
  EXPECT_DOUBLE_EQ(DataConfidence(20, 20), 0.5);
  EXPECT_DOUBLE_EQ(DataConfidence(60, 20), 0.75);
  EXPECT_NEAR(ModelConfidence({1, 1}), 0.0, 1e-12);  // uniform: no confidence
  BetaPosterior tight{300, 700};
  EXPECT_NEAR(ModelConfidence(tight), 1.0 - std::sqrt(tight.Variance() * 12.0), 1e-12);
  EXPECT_GT(ModelConfidence(tight), 0.9);
  EXPECT_DOUBLE_EQ(RenderCompleteness(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(RenderCompleteness(4, 1), 0.75);
}

TEST(QualityScoreTest, WeightedGeometricMean) {
  QualityInputs in{0.5, 0.8, 1.0};
  EXPECT_NEAR(QualityScore(in), std::pow(0.5, 0.3) * std::pow(0.8, 0.3), 1e-12);
  EXPECT_DOUBLE_EQ(QualityScore({1, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(QualityScore({1, 1, 0}), 0.0);  // one failed component sinks it
  // Weights are normalised.
  EXPECT_NEAR(QualityScore(in, {3, 3, 4}), QualityScore(in), 1e-12);
  EXPECT_DOUBLE_EQ(QualityScore(in, {0, 0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(QualityScore({2, -1, 1}, {1, 0, 0}), 1.0);  // inputs clamped
}

}  // namespace
}  // namespace tailor::decide
