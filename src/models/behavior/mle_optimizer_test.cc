#include "models/behavior/mle_optimizer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tailor::behavior {
namespace {

// Rosenbrock: a curved valley that needs a real quasi-Newton method.
double Rosenbrock(std::span<const double> x, std::span<double> g) {
  const double a = 1 - x[0], b = x[1] - x[0] * x[0];
  if (!g.empty()) {
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
  }
  return a * a + 100 * b * b;
}

TEST(MinimizeTest, LbfgsFindsRosenbrockMinimum) {
  auto result = Minimize(Rosenbrock, {-1.2, 1.0}, MinimizeOptions{});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NEAR(result->x[0], 1.0, 1e-6);
  EXPECT_NEAR(result->x[1], 1.0, 1e-6);
  EXPECT_EQ(result->algorithm.rfind("LD_LBFGS", 0), 0u);
  EXPECT_GT(result->evaluations, 0);
}

TEST(MinimizeTest, FallsBackWhenGradientIsWrong) {
  // The gradient has the wrong sign, so L-BFGS cannot make progress; the
  // derivative-free fallback must still find the minimum at (3, -2).
  Objective f = [](std::span<const double> x, std::span<double> g) {
    if (!g.empty()) {
      g[0] = -2 * (x[0] - 3);
      g[1] = -2 * (x[1] + 2);
    }
    return (x[0] - 3) * (x[0] - 3) + (x[1] + 2) * (x[1] + 2);
  };
  auto result = Minimize(f, {0.0, 0.0}, MinimizeOptions{});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NE(result->algorithm.find("LN_SBPLX"), std::string::npos);
  EXPECT_NEAR(result->x[0], 3.0, 1e-4);
  EXPECT_NEAR(result->x[1], -2.0, 1e-4);
}

TEST(MinimizeTest, SurvivesInfeasibleRegion) {
  // NaN for x < 0.5 (like a likelihood with an invalid parameter).
  Objective f = [](std::span<const double> x, std::span<double> g) {
    if (x[0] < 0.5) return std::nan("");
    if (!g.empty()) g[0] = 2 * (x[0] - 0.8);
    return (x[0] - 0.8) * (x[0] - 0.8);
  };
  auto result = Minimize(f, {5.0}, MinimizeOptions{});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NEAR(result->x[0], 0.8, 1e-5);
}

TEST(MinimizeTest, RejectsBadStart) {
  EXPECT_FALSE(Minimize(Rosenbrock, {}, MinimizeOptions{}).ok());
  EXPECT_FALSE(Minimize(Rosenbrock, {100.0, 0.0}, MinimizeOptions{}).ok());
  Objective never = [](std::span<const double>, std::span<double>) { return std::nan(""); };
  EXPECT_EQ(Minimize(never, {0.0}, MinimizeOptions{}).status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace tailor::behavior
