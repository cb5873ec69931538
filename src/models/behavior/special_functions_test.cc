#include "models/behavior/special_functions.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tailor::behavior {
namespace {

TEST(DigammaTest, KnownValues) {
  EXPECT_NEAR(Digamma(1.0), -0.57721566490153286, 1e-13);
  EXPECT_NEAR(Digamma(0.5), -1.96351002602142347, 1e-13);
  EXPECT_NEAR(Digamma(10.0), 2.25175258906672110, 1e-13);
  // psi(x) = -1/x - gamma_E + zeta(2) x - zeta(3) x^2 + ... near 0.
  EXPECT_NEAR(Digamma(1e-3),
              -1000.0 - 0.57721566490153286 + 1.6449340668e-3 - 1.2020569e-6 + 1.0823232e-9, 1e-10);
  EXPECT_TRUE(std::isnan(Digamma(0.0)));
}

TEST(DigammaTest, MatchesDerivativeOfLgamma) {
  for (double x : {0.07, 0.9, 3.3, 17.5, 250.0}) {
    const double h = 1e-5 * x;
    const double numeric = (std::lgamma(x + h) - std::lgamma(x - h)) / (2 * h);
    EXPECT_NEAR(Digamma(x), numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << x;
  }
}

TEST(LogSumExpTest, NoOverflowAndInfinities) {
  EXPECT_NEAR(LogSumExp(-1000.0, -1000.0), -1000.0 + std::log(2.0), 1e-12);
  EXPECT_NEAR(LogSumExp(1000.0, 0.0), 1000.0, 1e-12);
  EXPECT_EQ(LogSumExp(-INFINITY, 3.0), 3.0);
  EXPECT_NEAR(Log1pExp(800.0), 800.0, 1e-12);
  EXPECT_NEAR(Log1pExp(0.0), std::log(2.0), 1e-15);
}

TEST(Hyp2F1Test, ClosedForms) {
  for (double z : {0.0, 0.1, 0.5, 0.9, 0.99, 0.999}) {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z.
    const double expected = z == 0 ? 1.0 : -std::log1p(-z) / z;
    EXPECT_NEAR(Hyp2F1(1, 1, 2, z), expected, 1e-12 * expected) << z;
    // 2F1(a, b; b; z) = (1 - z)^-a.
    EXPECT_NEAR(Hyp2F1(2.7, 3.1, 3.1, z), std::pow(1 - z, -2.7), 1e-11 * std::pow(1 - z, -2.7));
  }
  // 2F1(1/2, 1/2; 3/2; z^2) = arcsin(z) / z.
  EXPECT_NEAR(Hyp2F1(0.5, 0.5, 1.5, 0.25), std::asin(0.5) / 0.5, 1e-13);
}

TEST(Hyp2F1Test, LargeParametersStayFinite) {
  // (1-z)^-a with a = 500 is e^346: the log-space tail must not overflow.
  const double log_tail = LogHyp2F1Tail(500.0, 80.0, 80.0, 0.5);
  EXPECT_NEAR(log_tail, std::log(80.0) + std::log(std::expm1(500 * std::log(2.0))), 1e-9 * 346);
}

TEST(Hyp2F1Test, TailHandlesNonPositiveC) {
  // c * (2F1 - 1) at c in (-1, 0]: compare with a direct signed series.
  const double a = 0.7, b = 0.4, c = -0.3, z = 0.6;
  double sum = 0.0, term = 1.0;
  for (int n = 0; n < 2000; ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
    sum += term;
  }
  EXPECT_NEAR(std::exp(LogHyp2F1Tail(a, b, c, z)), c * sum, 1e-12);
  EXPECT_TRUE(std::isnan(LogHyp2F1Tail(a, b, -1.5, z)));
  EXPECT_TRUE(std::isnan(LogHyp2F1Tail(a, b, c, 1.0)));
}

}  // namespace
}  // namespace tailor::behavior
