#include "insights/activity_models.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace tailor::insights {
namespace {

const absl::Time kStart = absl::FromCivil(absl::CivilDay(2025, 1, 1), absl::UTCTimeZone());

// Users active on each day with their own probability until an exponential
// drop-out day: who stopped recently and who acted rarely is who churns.
struct Population {
  std::vector<std::pair<std::string, absl::Time>> events;
  absl::Time now;
};

Population Simulate(int users, int days, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> rate(0.02, 0.6);
  std::exponential_distribution<double> lifetime(1.0 / 90.0);
  std::uniform_real_distribution<double> u01;
  Population p;
  p.now = kStart + absl::Hours(24 * days);
  for (int u = 0; u < users; ++u) {
    const double r = rate(rng);
    const int born = static_cast<int>(u01(rng) * days * 0.7);
    const int dies = born + static_cast<int>(lifetime(rng));
    for (int d = born; d < std::min(days, dies); ++d) {
      if (u01(rng) < r) {
        p.events.push_back({"u" + std::to_string(u), kStart + absl::Hours(24 * d + 9 + u % 12)});
      }
    }
  }
  return p;
}

ActivityReplay Replay(const Population& p, const ActivityModelOptions& options) {
  ActivityReplay replay = ActivityReplay::ForModels(p.now, options, 0);
  for (const auto& [user, t] : p.events) {
    ActivityEvent e;
    e.time = t;
    e.weight = 1.0f;
    replay.Add(user, e);
  }
  return replay;
}

TEST(ActivityModelsTest, ChurnModelValidatesOutOfTimeAndBeatsChance) {
  Population p = Simulate(4000, 240, 7);
  ActivityModelOptions options;
  ActivityReplay replay = Replay(p, options);
  absl::StatusOr<OutcomeModel> churn = FitOutcome(replay, /*churn=*/true, options);
  ASSERT_TRUE(churn.ok()) << churn.status();
  ASSERT_TRUE(churn->validation.has_value());
  EXPECT_GT(churn->validation->auc, 0.85);
  EXPECT_LT(churn->validation->ece, 0.05);
  EXPECT_GT(churn->validation->count, 1000);
  // Longer since the last action means more churn.
  EXPECT_GT(churn->model.weight[0], 0.0);
  EXPECT_DOUBLE_EQ(absl::ToDoubleHours(churn->horizon), 30 * 24.0);

  absl::StatusOr<OutcomeModel> engage = FitOutcome(replay, /*churn=*/false, options);
  ASSERT_TRUE(engage.ok()) << engage.status();
  EXPECT_GT(engage->validation->auc, 0.85);
  EXPECT_LT(engage->model.weight[0], 0.0);
}

TEST(ActivityModelsTest, SamplingKeepsAboutMaxUsers) {
  Population p = Simulate(3000, 120, 3);
  ActivityModelOptions options;
  options.max_users = 1000;
  ActivityReplay replay = ActivityReplay::ForModels(p.now, options, 3000);
  for (const auto& [user, t] : p.events) replay.Add(user, ActivityEvent{.time = t});
  EXPECT_GT(replay.num_users(), 700u);
  EXPECT_LT(replay.num_users(), 1300u);
}

TEST(ActivityModelsTest, TooFewUsersLeaveNotesNotModels) {
  Population p = Simulate(10, 100, 1);
  ActivityModelOptions options;
  ActivityReplay replay = Replay(p, options);
  ActivityModels m = FitActivityModels(replay, {}, p.now, p.now, options);
  EXPECT_FALSE(m.churn.has_value());
  EXPECT_FALSE(m.engage.has_value());
  EXPECT_FALSE(m.ltv.has_value());
  EXPECT_EQ(m.notes.size(), 3u);
  boost::json::object json = m.ToJson();
  EXPECT_TRUE(json.at("churn").is_null());
  EXPECT_EQ(json.at("notes").as_array().size(), 3u);
}

TEST(ActivityModelsTest, RfmInWeeksAndLifetimeValueFit) {
  // BG/NBD-style buyers: Poisson purchases at rate lambda until drop-out.
  std::mt19937 rng(11);
  std::gamma_distribution<double> lambda_dist(0.8, 1.0 / 4.0);  // per week
  std::uniform_real_distribution<double> u01;
  const absl::Time now = kStart + absl::Hours(24 * 7 * 40);
  std::vector<behavior::CustomerRfm> customers;
  for (int c = 0; c < 500; ++c) {
    UserActivity a;
    const double lambda = lambda_dist(rng);
    double t = u01(rng) * 10.0;  // weeks after kStart
    bool first = true;
    while (t < 40.0) {
      ActivityEvent e{.time = kStart + absl::Seconds(t * 7 * 86400), .weight = 5.0f, .purchase = true,
                      .amount = 20.0 + 10.0 * u01(rng)};
      a.Apply(e);
      if (!first && u01(rng) < 0.2) break;  // drop out after a purchase
      first = false;
      std::exponential_distribution<double> gap(lambda);
      t += gap(rng);
    }
    std::optional<behavior::CustomerRfm> rfm = RfmAt(a, now);
    ASSERT_TRUE(rfm.has_value());
    EXPECT_LE(rfm->recency, rfm->age);
    EXPECT_EQ(rfm->frequency, a.purchase_days() - 1);
    customers.push_back(*rfm);
  }
  EXPECT_FALSE(RfmAt(UserActivity(), now).has_value());
  ActivityModelOptions options;
  ActivityReplay empty = ActivityReplay::ForModels(now, options, 0);
  ActivityModels m = FitActivityModels(empty, customers, now, now, options);
  ASSERT_TRUE(m.ltv.has_value()) << m.notes.front();
  EXPECT_EQ(m.ltv->customers, 500);
  // The drop-out probability after a purchase was 0.2: a / (a + b) near it.
  const double p_drop = m.ltv->purchases.a / (m.ltv->purchases.a + m.ltv->purchases.b);
  EXPECT_NEAR(p_drop, 0.2, 0.08);
  ASSERT_TRUE(m.ltv->spend.has_value());
  // Mean spend per purchase was 25.
  const behavior::GammaGammaParams& g = *m.ltv->spend;
  EXPECT_NEAR(g.p * g.gamma / (g.q - 1.0), 25.0, 3.0);
}

}  // namespace
}  // namespace tailor::insights
