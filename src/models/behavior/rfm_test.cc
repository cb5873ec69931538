#include "models/behavior/rfm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "absl/time/civil_time.h"
#include "models/behavior/rfm_io.h"

namespace tailor::behavior {
namespace {

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

TEST(RfmTest, SummarisesOneCustomer) {
  std::vector<Transaction> t = {
      {"c", Day(2024, 1, 15), 30.0},   // repeat
      {"c", Day(2024, 1, 1), 10.0},    // first (input need not be sorted)
      {"c", Day(2024, 1, 15), 20.0},   // same day: merged with the other one
      {"c", Day(2024, 1, 29), 5.0},    // repeat
      {"c", Day(2024, 2, 5), 99.0},    // holdout
      {"c", Day(2024, 3, 30), 99.0},   // after holdout end: ignored
      {"late", Day(2024, 2, 2), 1.0},  // first purchase after cutoff: excluded
  };
  RfmOptions options;
  options.calibration_end = Day(2024, 2, 1);
  options.holdout_end = Day(2024, 3, 1);
  auto out = SummarizeRfm(t, options);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  const CustomerRfm& c = (*out)[0];
  EXPECT_EQ(c.id, "c");
  EXPECT_EQ(c.frequency, 2);
  EXPECT_DOUBLE_EQ(c.recency, 4.0);  // 28 days
  EXPECT_DOUBLE_EQ(c.age, 31.0 / 7);
  EXPECT_DOUBLE_EQ(c.monetary, (50.0 + 5.0) / 2);
  EXPECT_EQ(c.holdout_frequency, 1);
  EXPECT_DOUBLE_EQ(HoldoutLength(options), 29.0 / 7);

  options.merge_same_day = false;
  options.unit = TimeUnit::kDays;
  out = SummarizeRfm(t, options);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].frequency, 3);
  EXPECT_DOUBLE_EQ((*out)[0].age, 31.0);
}

TEST(RfmTest, RejectsBadInput) {
  std::vector<Transaction> t = {{"", Day(2024, 1, 1), 1.0}};
  RfmOptions options;
  EXPECT_FALSE(SummarizeRfm(t, options).ok());  // no calibration end
  options.calibration_end = Day(2024, 2, 1);
  EXPECT_FALSE(SummarizeRfm(t, options).ok());  // empty id
  options.holdout_end = Day(2024, 1, 1);
  t[0].customer.push_back('x');  // not = "x": GCC 12 -Wrestrict false positive (PR 105329)
  EXPECT_FALSE(SummarizeRfm(t, options).ok());  // holdout before calibration end
}

// The papers' calibration period is 1997-01-01..1997-09-30 (39 weeks of
// days, T measured up to 1997-09-30), with same-day purchases merged.
TEST(RfmTest, ReproducesCdnowSummaryCsv) {
  const std::string sample = TAILOR_SHARED_DATA "/cdnow/CDNOW_sample.txt";
  const std::string summary =
      TAILOR_SHARED_DATA "/cdnow/cdnow_customers_summary_with_transactions.csv";
  if (!std::filesystem::exists(sample) || !std::filesystem::exists(summary)) {
    GTEST_SKIP() << "CDNOW files not found under " << TAILOR_SHARED_DATA "/cdnow";
  }
  auto transactions = ReadCdnowTransactions(sample);
  ASSERT_TRUE(transactions.ok()) << transactions.status();
  RfmOptions options;
  options.calibration_end = Day(1997, 9, 30);
  auto ours = SummarizeRfm(*transactions, options);
  ASSERT_TRUE(ours.ok()) << ours.status();
  auto published = ReadRfmCsv(summary);
  ASSERT_TRUE(published.ok()) << published.status();
  ASSERT_EQ(ours->size(), published->customers.size());
  std::map<std::string, const CustomerRfm*> by_id;
  for (const CustomerRfm& c : *ours) by_id[c.id] = &c;
  int mismatches = 0;
  for (const CustomerRfm& want : published->customers) {
    auto it = by_id.find(want.id);
    ASSERT_NE(it, by_id.end()) << want.id;
    const CustomerRfm& got = *it->second;
    // The CSV is rounded to 2 decimals.
    const bool same =
        got.frequency == want.frequency && std::abs(got.recency - want.recency) <= 0.0051 &&
        std::abs(got.age - want.age) <= 0.0051 && std::abs(got.monetary - want.monetary) <= 0.0051;
    if (!same && ++mismatches <= 5) {
      ADD_FAILURE() << "customer " << want.id << ": got x=" << got.frequency
                    << " t_x=" << got.recency << " T=" << got.age << " zbar=" << got.monetary
                    << ", want x=" << want.frequency << " t_x=" << want.recency << " T=" << want.age
                    << " zbar=" << want.monetary;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
}  // namespace tailor::behavior
