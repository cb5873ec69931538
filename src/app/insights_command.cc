// `tailor insights eval`: the churn and 7-day engagement models evaluated
// offline on an event log, with exactly the recipe the server's insights job
// runs (insights/activity_models.h): the 7-day engagement step and the
// churn continuation step on features at past cutoffs, churn composed from
// both, validated out of time by the fits one horizon earlier, now = the
// newest event.
//
//   tailor insights eval --format cdnow --input ../shared/data/cdnow/CDNOW_master.txt
//   tailor insights eval --format amazon --input .../Musical_Instruments.json --horizon-days 90 --json
//
// Events are weighted with the default EventWeights; texts are scored for
// sentiment when the npm lexicon is installed. Input errors exit 2.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "app/command_registry.h"
#include "common/json_text.h"
#include "eval/event_log.h"
#include "insights/activity_models.h"
#include "models/text/sentiment_analyzer.h"
#include "serving/engine.h"
#include "serving/event_weights.h"

namespace tailor::app {
namespace {

struct EvalArgs {
  std::string format;
  std::string input;
  double horizon_days = 30;
  double engage_days = 7;
  int64_t max_users = 1'000'000;
  bool json = false;
};

void PrintOutcome(const std::string& title, const absl::StatusOr<insights::OutcomeModel>& m,
                  double engage_days) {
  if (!m.ok()) {
    fmt::print("{}: not fitted: {}\n", title, std::string(m.status().message()));
    return;
  }
  if (m->name == "churn") {
    fmt::print("{} (horizon {:.0f} days): {} users, base rate {:.3f}; levels medium from {:.3f}, "
               "high from {:.3f}\n",
               title, absl::ToDoubleHours(m->horizon) / 24, m->outcome_rows, m->outcome_base_rate,
               m->medium_from, m->high_from);
    fmt::print("  continuation (acts after {:.0f} silent days) trained on {} users, base rate {:.3f}\n",
               engage_days, m->train_rows, m->train_base_rate);
  } else {
    fmt::print("{} (horizon {:.0f} days): trained on {} users, base rate {:.3f}\n", title,
               absl::ToDoubleHours(m->horizon) / 24, m->train_rows, m->train_base_rate);
  }
  if (!m->validation) {
    fmt::print("  {}\n", m->validation_note);
    return;
  }
  const behavior::BinaryMetrics& v = *m->validation;
  fmt::print("  out of time: users {}  base rate {:.3f}  AUC {:.4f}  (recency only {:.4f}, "
             "engagement score only {:.4f})\n",
             v.count, v.base_rate, v.auc, m->baseline_auc, m->engagement_score_auc);
  fmt::print("  Brier {:.4f}  log loss {:.4f}  ECE {:.4f}\n", v.brier, v.log_loss, v.ece);
  fmt::print("  reliability: predicted -> observed (users)\n");
  for (const behavior::ReliabilityBin& b : v.bins) {
    if (b.count == 0) continue;
    fmt::print("    [{:.1f}, {:.1f})  {:.3f} -> {:.3f}  ({})\n", b.lower, b.upper, b.mean_predicted,
               b.observed_rate, b.count);
  }
}

int RunEval(const EvalArgs& args) {
  absl::StatusOr<std::vector<domain::Event>> events = eval::ReadEventLog(args.format, args.input);
  if (!events.ok()) {
    std::cerr << "tailor insights eval: " << events.status().message() << "\n";
    return 2;
  }
  if (events->empty()) {
    std::cerr << "tailor insights eval: no events in " << args.input << "\n";
    return 2;
  }
  absl::StatusOr<text::SentimentAnalyzer> analyzer = text::SentimentAnalyzer::CreateDefault();
  const text::SentimentAnalyzer* sentiment = analyzer.ok() ? &*analyzer : nullptr;
  absl::Time now = absl::InfinitePast();
  for (const domain::Event& e : *events) now = std::max(now, e.timestamp);
  insights::ActivityModelOptions options;
  options.churn_horizon = absl::Seconds(args.horizon_days * 86400);
  options.engage_horizon = absl::Seconds(args.engage_days * 86400);
  options.max_users = args.max_users;
  absl::flat_hash_set<std::string_view> distinct;
  for (const domain::Event& e : *events) distinct.insert(e.user_id);
  insights::ActivityReplay replay =
      insights::ActivityReplay::ForModels(now, options, static_cast<int64_t>(distinct.size()));
  const serving::EventWeights weights;
  int64_t with_text = 0;
  for (const domain::Event& e : *events) {
    insights::ActivityEvent a = insights::ActivityFromEvent(e, weights.Weight(e.type, e.value));
    a.sentiment = serving::EventSentiment(sentiment, e);
    with_text += a.sentiment ? 1 : 0;
    replay.Add(e.user_id, a);
  }
  absl::StatusOr<insights::OutcomeModel> engage = insights::FitEngagement(replay, options);
  absl::StatusOr<insights::OutcomeModel> churn =
      engage.ok() ? insights::FitChurn(replay, *engage, options)
                  : absl::StatusOr<insights::OutcomeModel>(absl::FailedPreconditionError(
                        "needs the engagement model (churn is built on it)"));
  if (args.json) {
    auto outcome = [](const absl::StatusOr<insights::OutcomeModel>& m) -> boost::json::value {
      if (!m.ok()) return {{"error", std::string(m.status().message())}};
      return m->ToJson();
    };
    boost::json::object out{{"format", args.format},
                             {"input", args.input},
                             {"events", events->size()},
                             {"users", replay.num_users()},
                             {"events_with_sentiment", with_text},
                             {"now", absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone())},
                             {"churn", outcome(churn)},
                             {"engagement", outcome(engage)}};
    std::cout << JsonText(out) << "\n";
    return 0;
  }
  fmt::print("{} events, {} users, {} texts scored for sentiment; now = {}\n", events->size(),
             replay.num_users(), with_text, absl::FormatTime("%Y-%m-%d %H:%M", now, absl::UTCTimeZone()));
  PrintOutcome("churn", churn, args.engage_days);
  PrintOutcome("engagement", engage, args.engage_days);
  return 0;
}

void AddInsights(CLI::App& app) {
  auto* insights = app.add_subcommand("insights", "Churn and engagement models offline");
  insights->require_subcommand(1);
  auto args = std::make_shared<EvalArgs>();
  auto* eval = insights->add_subcommand(
      "eval", "Fit and validate the churn and 7-day engagement models on an event log");
  eval->add_option("--format", args->format, "cdnow, ml-100k, amazon or tailor (JSON lines)")
      ->required()
      ->check(CLI::IsMember({"cdnow", "ml-100k", "amazon", "tailor"}));
  eval->add_option("--input", args->input, "The event log file")->required();
  eval->add_option("--horizon-days", args->horizon_days, "Churn horizon in days")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 3650.0));
  eval->add_option("--engage-horizon-days", args->engage_days, "Engagement horizon in days")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 3650.0));
  eval->add_option("--max-users", args->max_users, "Replay at most about this many users")
      ->capture_default_str();
  eval->add_flag("--json", args->json, "Print one JSON object on stdout");
  eval->callback([args] { SetExitCode(RunEval(*args)); });
}

}  // namespace

TAILOR_REGISTER_COMMAND(AddInsights);

}  // namespace tailor::app
