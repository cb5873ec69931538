// A seeded simulation of a tenant whose users' true preferences are known:
// each user has a favourite channel, a peak local hour and a favourite tone,
// and opens a notification with probability
//
//   P(open) = base[channel] * hour(|local send hour - peak|) * tone(variant)
//   P(click | open) = 0.35 for the favourite tone, 0.2 otherwise
//
// (constants in simulator.cc). Users also use the app around their peak hour
// (the activity profiles learn timing from). Every policy runs the real
// Notifier, Engine and a real SQLite store in its own directory, one marketing
// decision per user per day; outcomes are posted back as events carrying the
// decision_id, exactly as a client would. Policies:
//
//   tailor            the full decision (channel, variant, send time learned)
//   fixed_time        Tailor's channel and variant, but always at 10:00 local
//   popular_channel   Tailor's variant and time, always the channel with the
//                     highest population open rate
//   uniform_ab        Tailor's channel and time, variant uniformly at random
//   naive             all three: popular channel, 10:00 local, random variant
//
// Regret is measured against the oracle that knows each user's preferences,
// in expected clicks (the bandit's objective), so it is free of outcome noise.
//
//   absl::StatusOr<SimulationReport> r = RunNotifySimulation({.users = 1000, .days = 28});
#ifndef TAILOR_NOTIFY_SIMULATOR_H_
#define TAILOR_NOTIFY_SIMULATOR_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tailor::notify {

struct SimulationOptions {
  int users = 1000;
  int days = 28;
  uint64_t seed = 7;
  std::string work_dir;  // policies' stores go in subdirectories; required
  std::vector<std::string> policies = {"tailor", "fixed_time", "popular_channel", "uniform_ab",
                                       "naive"};
};

struct PolicyResult {
  std::string policy;
  int64_t decisions = 0;
  int64_t sent = 0;
  int64_t opens = 0;   // realised
  int64_t clicks = 0;  // realised
  double expected_opens = 0;
  double expected_clicks = 0;
  double oracle_clicks = 0;
  // Per day: expected clicks / oracle clicks of that day's decisions.
  std::vector<double> daily_click_share;
  // Per day: share of sends on the user's favourite channel / tone.
  std::vector<double> daily_favourite_channel;
  std::vector<double> daily_favourite_tone;
  double seconds = 0;  // wall time of the run
};

struct SimulationReport {
  SimulationOptions options;
  std::vector<PolicyResult> policies;
};

absl::StatusOr<SimulationReport> RunNotifySimulation(const SimulationOptions& options);

// A markdown table (rates, regret per 1,000 decisions, convergence by week).
std::string SimulationMarkdown(const SimulationReport& report);
boost::json::object SimulationJson(const SimulationReport& report);

}  // namespace tailor::notify

#endif  // TAILOR_NOTIFY_SIMULATOR_H_
