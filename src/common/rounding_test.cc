#include "common/rounding.h"

#include <boost/json.hpp>
#include <limits>

#include "gtest/gtest.h"

namespace tailor {
namespace {

TEST(RoundingTest, DecimalsRoundHalfAwayFromZero) {
  EXPECT_EQ(RoundDecimals(77.06189727783203, 2), 77.06);
  EXPECT_EQ(RoundDecimals(0.75400000001, 4), 0.754);
  EXPECT_EQ(RoundDecimals(-1.25, 1), -1.3);
  EXPECT_EQ(RoundDecimals(52.6149, 2), 52.61);
  EXPECT_EQ(RoundDecimals(3.0, 4), 3.0);
  EXPECT_EQ(RoundDecimals(1e300, 4), 1e300);
}

TEST(RoundingTest, SignificantDigitsKeepSmallScoresDistinct) {
  EXPECT_EQ(RoundSignificant(0.30000001192092896, 6), 0.3);
  EXPECT_EQ(RoundSignificant(0.000123456789, 6), 0.000123457);
  EXPECT_EQ(RoundSignificant(-98765.4321, 6), -98765.4);
  EXPECT_EQ(RoundSignificant(0.0, 6), 0.0);
  EXPECT_NE(RoundSignificant(0.000012345, 6), 0.0);
}

TEST(RoundingTest, NonFiniteUnchanged) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(RoundDecimals(inf, 2), inf);
  EXPECT_EQ(RoundSignificant(-inf, 6), -inf);
}

TEST(RoundingTest, RoundNumbersWalksADocumentAndTouchesOnlyDoubles) {
  boost::json::value v = {{"auc", 0.6205673758865248},
                          {"weights", boost::json::array{1.7817179632020563, -0.000123456789, 0.0}},
                          {"users", 59},
                          {"nested", {{"brier", 0.16512183344098993}, {"name", "churn"}}}};
  RoundNumbers(v, 6);
  const boost::json::value want = {{"auc", 0.620567},
                                   {"weights", boost::json::array{1.78172, -0.000123457, 0.0}},
                                   {"users", 59},
                                   {"nested", {{"brier", 0.165122}, {"name", "churn"}}}};
  EXPECT_EQ(v, want);
}

}  // namespace
}  // namespace tailor
