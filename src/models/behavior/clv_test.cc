#include "models/behavior/clv.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tailor::behavior {
namespace {

const BgNbdParams kPurchases{0.243, 4.414, 0.793, 2.426};
const GammaGammaParams kSpend{6.25, 3.74, 15.44};

TEST(ClvTest, UndiscountedIsPurchasesTimesSpend) {
  const CustomerRfm c{"1", 2, 30.43, 38.86, 22.35, 0};
  const double expected = ConditionalExpectedPurchases(kPurchases, 52, 2, 30.43, 38.86) *
                          ConditionalExpectedSpend(kSpend, 2, 22.35);
  EXPECT_NEAR(CustomerLifetimeValue(kPurchases, kSpend, c, {52.0, 1, 0.0}), expected, 1e-9);
  // Splitting the horizon does not change the undiscounted total.
  EXPECT_NEAR(CustomerLifetimeValue(kPurchases, kSpend, c, {52.0, 12, 0.0}), expected, 1e-9);
}

TEST(ClvTest, DiscountingLowersValueAndHistoryMatters) {
  const CustomerRfm recent{"a", 5, 38.0, 38.86, 40.0, 0};
  const CustomerRfm lapsed{"b", 5, 5.0, 38.86, 40.0, 0};
  const ClvOptions plain{104.0, 24, 0.0};
  const ClvOptions discounted{104.0, 24, 0.01};
  const double v = CustomerLifetimeValue(kPurchases, kSpend, recent, plain);
  const double vd = CustomerLifetimeValue(kPurchases, kSpend, recent, discounted);
  EXPECT_GT(v, 0.0);
  EXPECT_LT(vd, v);
  EXPECT_GT(vd, v / std::pow(1.01, 24));  // every period is discounted by at most (1.01)^24
  // Same frequency and spend, but silent for 34 weeks: worth less.
  EXPECT_LT(CustomerLifetimeValue(kPurchases, kSpend, lapsed, plain), v);
  EXPECT_TRUE(std::isnan(CustomerLifetimeValue(kPurchases, kSpend, recent, {52.0, 0, 0.0})));
}

}  // namespace
}  // namespace tailor::behavior
