#include "models/behavior/holdout_evaluation.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "absl/time/civil_time.h"
#include "models/behavior/rfm_io.h"

namespace tailor::behavior {
namespace {

TEST(HoldoutEvaluationTest, GroupsAndTotals) {
  const BgNbdParams p{0.243, 4.414, 0.793, 2.426};
  std::vector<CustomerRfm> customers = {
      {"a", 0, 0, 30, 0, 1}, {"b", 0, 0, 20, 0, 0}, {"c", 2, 10, 30, 5, 3}, {"d", 9, 29, 30, 5, 4}};
  HoldoutComparison cmp = CompareHoldout(p, customers, 39.0, 3);
  EXPECT_EQ(cmp.customers, 4);
  EXPECT_EQ(cmp.actual_total, 8);
  ASSERT_EQ(cmp.by_frequency.size(), 4u);
  EXPECT_EQ(cmp.by_frequency[0].customers, 2);
  EXPECT_DOUBLE_EQ(cmp.by_frequency[0].actual_mean, 0.5);
  EXPECT_EQ(cmp.by_frequency[1].customers, 0);
  EXPECT_TRUE(cmp.by_frequency[3].open_ended);
  EXPECT_EQ(cmp.by_frequency[3].customers, 1);  // x = 9 lands in 3+
  double sum = 0.0;
  for (const CustomerRfm& c : customers) {
    sum += ConditionalExpectedPurchases(p, 39.0, c.frequency, c.recency, c.age);
  }
  EXPECT_NEAR(cmp.conditional_total, sum, 1e-9);
}

// Sanity bound only, to catch gross errors (docs/EVALUATION.md reports
// the numbers: the model under-forecasts the CDNOW holdout, weeks 40-78, by
// about 12%): the total forecast is within 25% of the actual repeat
// purchases, and predictions rise with calibration frequency.
TEST(HoldoutEvaluationTest, CdnowHoldoutIsSane) {
  const std::string sample = TAILOR_SHARED_DATA "/cdnow/CDNOW_sample.txt";
  if (!std::filesystem::exists(sample)) GTEST_SKIP() << "missing " << sample;
  auto transactions = ReadCdnowTransactions(sample);
  ASSERT_TRUE(transactions.ok()) << transactions.status();
  RfmOptions options;
  options.calibration_end = absl::FromCivil(absl::CivilDay(1997, 9, 30), absl::UTCTimeZone());
  options.holdout_end = absl::FromCivil(absl::CivilDay(1998, 6, 30), absl::UTCTimeZone());
  auto customers = SummarizeRfm(*transactions, options);
  ASSERT_TRUE(customers.ok());
  auto fit = FitBgNbd(*customers);
  ASSERT_TRUE(fit.ok());
  const double holdout = HoldoutLength(options);
  EXPECT_NEAR(holdout, 39.0, 1e-9);
  HoldoutComparison cmp = CompareHoldout(fit->params, *customers, holdout);
  EXPECT_GT(cmp.actual_total, 0);
  EXPECT_NEAR(cmp.conditional_total / cmp.actual_total, 1.0, 0.25);
  EXPECT_NEAR(cmp.unconditional_total / cmp.actual_total, 1.0, 0.25);
  for (size_t g = 1; g < cmp.by_frequency.size(); ++g) {
    EXPECT_GT(cmp.by_frequency[g].predicted_mean, cmp.by_frequency[g - 1].predicted_mean);
  }
}

}  // namespace
}  // namespace tailor::behavior
