// `tailor notify simulate`: the seeded notification simulator
// (notify/simulator.h) comparing Tailor's decisions with the fixed-time,
// most-popular-channel, uniform A/B and naive baselines.
//
//   tailor notify simulate --users 1000 --days 28 --seed 7
//   tailor notify simulate --users 200 --days 7 --policies tailor,naive --json
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <unistd.h>

#include "app/command_registry.h"
#include "common/json_text.h"
#include "notify/simulator.h"

namespace tailor::app {
namespace {

struct SimulateArgs {
  notify::SimulationOptions options;
  std::string policies;
  bool json = false;
  bool keep = false;
};

int RunSimulate(SimulateArgs& args) {
  const bool temp = args.options.work_dir.empty();
  if (temp) {
    args.options.work_dir = (std::filesystem::temp_directory_path() /
                             fmt::format("tailor_notify_sim_{}", ::getpid()))
                                .string();
  }
  if (!args.policies.empty()) {
    args.options.policies.clear();
    std::string rest = args.policies;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      args.options.policies.push_back(rest.substr(0, comma));
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    }
  }
  absl::StatusOr<notify::SimulationReport> report = notify::RunNotifySimulation(args.options);
  if (temp && !args.keep) std::filesystem::remove_all(args.options.work_dir);
  if (!report.ok()) {
    std::cerr << "simulation failed: " << report.status().message() << "\n";
    return 1;
  }
  if (args.json) {
    std::cout << JsonText(notify::SimulationJson(*report)) << "\n";
  } else {
    std::cout << notify::SimulationMarkdown(*report);
  }
  return 0;
}

void AddNotify(CLI::App& app) {
  auto* notify = app.add_subcommand("notify", "Notification decisions offline");
  notify->require_subcommand(1);
  auto args = std::make_shared<SimulateArgs>();
  auto* sim = notify->add_subcommand(
      "simulate", "Simulated users with known preferences: Tailor against baselines");
  sim->add_option("--users", args->options.users, "Simulated users")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  sim->add_option("--days", args->options.days, "Simulated days (one decision per user per day)")
      ->capture_default_str()
      ->check(CLI::Range(1, 365));
  sim->add_option("--seed", args->options.seed, "Seed of the world and the outcomes")
      ->capture_default_str();
  sim->add_option("--policies", args->policies,
                  "Comma-separated subset of tailor,fixed_time,popular_channel,uniform_ab,naive");
  sim->add_option("--work-dir", args->options.work_dir,
                  "Where the policies' stores go (default: a temporary directory, removed)");
  sim->add_flag("--json", args->json, "Print one JSON object on stdout");
  sim->callback([args] { SetExitCode(RunSimulate(*args)); });
}

}  // namespace

TAILOR_REGISTER_COMMAND(AddNotify);

}  // namespace tailor::app
