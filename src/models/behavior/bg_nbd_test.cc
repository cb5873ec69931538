#include "models/behavior/bg_nbd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "common/random.h"
#include "models/behavior/mle_test_util.h"
#include "models/behavior/rfm_io.h"

namespace tailor::behavior {
namespace {

const char kCdnowSummary[] = TAILOR_SHARED_DATA "/cdnow/cdnow_customers_summary.csv";

struct Simulated {
  CustomerRfm rfm;  // calibration summary over [0, T]
  bool alive_at_t = false;
};

// Draws one customer from the BG/NBD generative story: first purchase at 0,
// Poisson(lambda) purchases while alive, drop-out with probability p right
// after each repeat purchase. Calibration window [0, age], holdout
// (age, age + holdout]; holdout purchases go to rfm.holdout_frequency.
Simulated SimulateCustomer(const BgNbdParams& p, double age, double holdout, Random& rng) {
  const double lambda = rng.Gamma(p.r, 1.0 / p.alpha);
  const double drop = rng.Beta(p.a, p.b);
  Simulated s;
  s.rfm.age = age;
  double t = 0.0;
  bool alive = true;
  while (alive) {
    t += -std::log1p(-rng.Uniform()) / lambda;
    if (t > age + holdout) break;
    if (t <= age) {
      s.rfm.frequency += 1;
      s.rfm.recency = t;
    } else {
      s.rfm.holdout_frequency += 1;
    }
    if (rng.Uniform() < drop) {
      alive = false;
      if (t <= age) break;
    }
  }
  // Alive at T unless the drop-out followed a calibration purchase.
  s.alive_at_t = alive || t > age;
  return s;
}

TEST(BgNbdTest, GradientMatchesFiniteDifferences) {
  auto table = ParseRfmCsv(
      "ID,frequency,recency,T\n1,0,0,38.86\n2,1,1.71,38.86\n3,5,30.2,35\n4,14,33.1,33.5\n5,2,3,"
      "20\n");
  ASSERT_TRUE(table.ok()) << table.status();
  for (const BgNbdParams& p :
       {BgNbdParams{0.243, 4.414, 0.793, 2.426}, BgNbdParams{2.0, 0.5, 3.0, 0.3},
        BgNbdParams{0.05, 40.0, 1.0, 12.0}}) {
    std::array<double, 4> grad{};
    BgNbdLogLikelihood(p, table->customers, &grad);
    std::array<double, 4> logs = {std::log(p.r), std::log(p.alpha), std::log(p.a), std::log(p.b)};
    for (int i = 0; i < 4; ++i) {
      auto at = [&](double delta) {
        std::array<double, 4> v = logs;
        v[i] += delta;
        return BgNbdLogLikelihood({std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])},
                                  table->customers);
      };
      const double h = 1e-5;
      const double numeric = (at(h) - at(-h)) / (2 * h);
      EXPECT_NEAR(grad[i], numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << "param " << i;
    }
  }
}

TEST(BgNbdTest, LikelihoodRejectsInvalidInput) {
  std::vector<CustomerRfm> one = {{"a", 1, 2, 1, 0, 0}};  // recency > T
  EXPECT_TRUE(std::isnan(BgNbdLogLikelihood({1, 1, 1, 1}, one)));
  std::vector<CustomerRfm> ok = {{"a", 1, 1, 2, 0, 0}};
  EXPECT_TRUE(std::isnan(BgNbdLogLikelihood({-1, 1, 1, 1}, ok)));
  EXPECT_FALSE(FitBgNbd({}).ok());
  EXPECT_FALSE(FitBgNbd(one).ok());
}

BgNbdParams FromLogs(const std::array<double, 4>& v) {
  return {std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])};
}

TEST(BgNbdTest, FitRecoversSimulatedParameters) {
  const BgNbdParams truth{0.6, 6.0, 0.9, 2.2};
  Random rng(20261122);
  std::vector<CustomerRfm> customers;
  for (int i = 0; i < 6000; ++i) {
    customers.push_back(SimulateCustomer(truth, 30.0 + 50.0 * rng.Uniform(), 0.0, rng).rfm);
  }
  auto fit = FitBgNbd(customers);
  ASSERT_TRUE(fit.ok()) << fit.status();
  const std::array<double, 4> se =
      testing::StandardErrors<4>({std::log(fit->params.r), std::log(fit->params.alpha),
                                  std::log(fit->params.a), std::log(fit->params.b)},
                                 [&](const std::array<double, 4>& v) {
                                   std::array<double, 4> g{};
                                   BgNbdLogLikelihood(FromLogs(v), customers, &g);
                                   return g;
                                 });
  const std::array<double, 4> fitted = {fit->params.r, fit->params.alpha, fit->params.a,
                                        fit->params.b};
  const std::array<double, 4> want = {truth.r, truth.alpha, truth.a, truth.b};
  for (int i = 0; i < 4; ++i) {
    // The sample must be informative (relative SE below 20%) and the
    // estimate within 4 standard errors of the truth.
    EXPECT_LT(se[i], 0.2) << "param " << i;
    EXPECT_LT(std::abs(std::log(fitted[i]) - std::log(want[i])), 4 * se[i])
        << "param " << i << " fitted " << fitted[i] << " true " << want[i] << " se(log) " << se[i];
  }
  // The optimum beats the truth on the sample (it is the maximum).
  EXPECT_GE(fit->log_likelihood, BgNbdLogLikelihood(truth, customers));
}

TEST(BgNbdTest, CdnowMatchesPublishedEstimates) {
  if (!std::filesystem::exists(kCdnowSummary)) {
    GTEST_SKIP() << "CDNOW summary not found at " << kCdnowSummary;
  }
  auto table = ReadRfmCsv(kCdnowSummary);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->customers.size(), 2357u);
  auto fit = FitBgNbd(table->customers);
  ASSERT_TRUE(fit.ok()) << fit.status();
  // Fader, Hardie & Lee (2005), published to three decimals / one decimal.
  EXPECT_NEAR(fit->params.r, 0.243, 0.0005);
  EXPECT_NEAR(fit->params.alpha, 4.414, 0.0005);
  EXPECT_NEAR(fit->params.a, 0.793, 0.0005);
  EXPECT_NEAR(fit->params.b, 2.426, 0.0005);
  EXPECT_NEAR(fit->log_likelihood, -9582.4, 0.05);
  EXPECT_EQ(fit->customers, 2357);
}

TEST(BgNbdTest, ProbabilityAliveProperties) {
  const BgNbdParams p{0.243, 4.414, 0.793, 2.426};
  // The model lets customers drop out only after a repeat purchase.
  EXPECT_EQ(ProbabilityAlive(p, 0, 0, 38.86), 1.0);
  double previous = 0.0;
  for (double t_x = 1.0; t_x <= 38.0; t_x += 1.0) {  // more recent -> more likely alive
    const double alive = ProbabilityAlive(p, 3, t_x, 38.86);
    EXPECT_GT(alive, previous);
    EXPECT_LE(alive, 1.0);
    previous = alive;
  }
  previous = 1.0;
  for (double age = 10.0; age <= 80.0; age += 5.0) {  // silent longer -> less likely alive
    const double alive = ProbabilityAlive(p, 3, 8.0, age);
    EXPECT_LT(alive, previous);
    EXPECT_GT(alive, 0.0);
    previous = alive;
  }
  // Bought at T: only alive if no drop-out after the last purchase, whose
  // posterior odds are a / (b + x - 1).
  EXPECT_NEAR(ProbabilityAlive(p, 3, 38.86, 38.86), 1.0 / (1.0 + p.a / (p.b + 2)), 1e-12);
  EXPECT_TRUE(std::isnan(ProbabilityAlive(p, 1, 5, 4)));
}

TEST(BgNbdTest, ExpectedPurchasesBasics) {
  const BgNbdParams p{0.243, 4.414, 0.793, 2.426};
  EXPECT_EQ(ExpectedPurchases(p, 0.0), 0.0);
  // Initial purchase rate is E[lambda] = r / alpha.
  EXPECT_NEAR(ExpectedPurchases(p, 1e-4) / 1e-4, p.r / p.alpha, 1e-4);
  double previous = 0.0;
  for (double t : {1.0, 10.0, 39.0, 78.0, 520.0, 5000.0}) {
    const double e = ExpectedPurchases(p, t);
    EXPECT_GT(e, previous) << t;
    previous = e;
  }
  // A new customer is a customer with x = 0 at T = 0.
  EXPECT_NEAR(ConditionalExpectedPurchases(p, 39.0, 0, 0, 0), ExpectedPurchases(p, 39.0), 1e-12);
  // a = 1 is a removable singularity: continuous across it.
  const double at_one = ExpectedPurchases({0.5, 3.0, 1.0, 2.0}, 20.0);
  EXPECT_NEAR(ExpectedPurchases({0.5, 3.0, 1.001, 2.0}, 20.0), at_one, 1e-3);
  EXPECT_NEAR(ExpectedPurchases({0.5, 3.0, 0.999, 2.0}, 20.0), at_one, 1e-3);
  // Small a + b (c = a + b - 1 < 0) still works.
  EXPECT_GT(ExpectedPurchases({0.5, 3.0, 0.3, 0.4}, 20.0), 0.0);
}

TEST(BgNbdTest, ConditionalExpectationMatchesSimulation) {
  // Law of total expectation: averaged over simulated customers, the
  // conditional expectation given the calibration data equals the mean
  // of the realised holdout purchases, and P(alive) equals the share of
  // customers actually alive at T. Also checked within frequency groups.
  const BgNbdParams p{0.6, 6.0, 0.9, 2.2};
  const double age = 30.0, holdout = 30.0;
  Random rng(7);
  const int n = 40000;
  double sum_pred = 0, sum_actual = 0, sum_actual_sq = 0, sum_alive_pred = 0, alive = 0;
  double group_pred[3] = {0, 0, 0}, group_actual[3] = {0, 0, 0}, group_sq[3] = {0, 0, 0},
         group_n[3] = {0, 0, 0};
  for (int i = 0; i < n; ++i) {
    Simulated s = SimulateCustomer(p, age, holdout, rng);
    const CustomerRfm& c = s.rfm;
    const double pred = ConditionalExpectedPurchases(p, holdout, c.frequency, c.recency, c.age);
    sum_pred += pred;
    sum_actual += c.holdout_frequency;
    sum_actual_sq += c.holdout_frequency * c.holdout_frequency;
    sum_alive_pred += ProbabilityAlive(p, c.frequency, c.recency, c.age);
    alive += s.alive_at_t ? 1 : 0;
    const int g = c.frequency == 0 ? 0 : (c.frequency <= 3 ? 1 : 2);
    group_pred[g] += pred;
    group_actual[g] += c.holdout_frequency;
    group_sq[g] += c.holdout_frequency * c.holdout_frequency;
    group_n[g] += 1;
  }
  const double mean_actual = sum_actual / n;
  const double se = std::sqrt((sum_actual_sq / n - mean_actual * mean_actual) / n);
  EXPECT_NEAR(sum_pred / n, mean_actual, 4 * se);
  EXPECT_NEAR(sum_pred / n, ExpectedPurchases(p, age + holdout) - ExpectedPurchases(p, age),
              4 * se);
  const double share = alive / n;
  EXPECT_NEAR(sum_alive_pred / n, share, 4 * std::sqrt(share * (1 - share) / n));
  for (int g = 0; g < 3; ++g) {
    ASSERT_GT(group_n[g], 1000);
    const double m = group_actual[g] / group_n[g];
    const double group_se = std::sqrt((group_sq[g] / group_n[g] - m * m) / group_n[g]);
    EXPECT_NEAR(group_pred[g] / group_n[g], m, 4 * group_se) << "group " << g;
  }
}

}  // namespace
}  // namespace tailor::behavior
