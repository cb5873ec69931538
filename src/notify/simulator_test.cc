#include "notify/simulator.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tailor::notify {
namespace {

TEST(NotifySimulatorTest, LearnedDecisionsBeatTheNaiveBlastAndImprove) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("notify_sim_" + std::to_string(::getpid()));
  SimulationOptions options;
  options.users = 150;
  options.days = 14;
  options.seed = 5;
  options.work_dir = dir.string();
  options.policies = {"tailor", "naive"};
  absl::StatusOr<SimulationReport> report = RunNotifySimulation(options);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->policies.size(), 2u);
  const PolicyResult& tailor = report->policies[0];
  const PolicyResult& naive = report->policies[1];
  EXPECT_EQ(tailor.decisions, 150 * 14);
  EXPECT_EQ(tailor.sent, tailor.decisions);  // reachable, consented, no caps
  // Same world, same oracle.
  EXPECT_DOUBLE_EQ(tailor.oracle_clicks, naive.oracle_clicks);
  EXPECT_GT(tailor.expected_clicks, 1.5 * naive.expected_clicks);
  // The second week is better than the first.
  double first = 0, second = 0;
  for (int d = 0; d < 7; ++d) first += tailor.daily_click_share[d];
  for (int d = 7; d < 14; ++d) second += tailor.daily_click_share[d];
  EXPECT_GT(second, first);
  EXPECT_NE(SimulationMarkdown(*report).find("| tailor |"), std::string::npos);
}

TEST(NotifySimulatorTest, RejectsAnEmptyWorld) {
  EXPECT_FALSE(RunNotifySimulation({.users = 0, .days = 1, .seed = 1, .work_dir = "/tmp/x"}).ok());
}

}  // namespace
}  // namespace tailor::notify
