// `tailor eval`: offline evaluation of recommendation models on research data.
// Reads a data set, splits it with a protocol (or uses a given split), fits
// each model, ranks and prints a metrics table (or JSON with --json).
//
//   tailor eval --format movielens --data ../shared/data/ml-100k/u.data
//       --protocol loo --models popularity,itemknn,ease,ials --cutoffs 10 --seed 42
//   tailor eval --format citeulike --data .../cf-train-10-users.dat --test .../cf-test-10-users.dat
//       --models itemknn --params '{"itemknn":{"topk":423,"shrink":936,"weighting":"tfidf"}}'
//       --cutoffs 50,100,150,200,250,300 --metrics Recall
//   tailor eval ... --search random --trials 20 --target NDCG@10   # tune on a validation split
//   tailor eval ... --validation-only --search grid --space '{"ials":{"reg":[1,10]}}'
//       --target Recall@50,Recall@100                              # mean of two; test untouched
//
// The validation split is carved from the training data only (a random
// --holdout-fraction of each user's training interactions, seed + 1); with
// --validation-only the chosen models are also reported on it and the test
// cases are never scored.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "app/command_registry.h"
#include "common/json_text.h"
#include "common/clock.h"
#include "common/random.h"
#include "eval/evaluator.h"
#include "eval/readers.h"
#include "eval/search.h"
#include "eval/split.h"
#include "models/recsys/model_factory.h"
#include "models/recsys/params.h"

namespace tailor::app {
namespace {

struct EvalArgs {
  std::string format = "movielens";
  std::string data, test, negatives;
  std::string protocol;
  int num_negatives = 99;
  double holdout_fraction = 0.2;
  double heldout_users = 0.1;
  std::optional<double> min_value;
  bool keep_values = false;
  bool keep_seen = false;
  std::string models = "popularity,itemknn,rp3beta,ease,ials";
  std::string params = "{}";
  std::string cutoffs = "10";
  std::string metrics;
  std::string recall;
  std::string tie_break = "random";
  uint64_t seed = 42;
  int threads = 2;
  bool json = false;
  std::string search;
  int trials = 20;
  std::string target;
  std::string space = "{}";
  bool validation_only = false;
};

int Fail(const std::string& what) {
  std::fprintf(stderr, "tailor eval: %s\n", what.c_str());
  return 1;
}

int RunEval(const EvalArgs& a) {
  // Data and split.
  eval::EvalSplit split;
  eval::ProtocolSpec spec;
  std::string protocol = a.protocol;
  Random rng(a.seed);
  if (a.format == "citeulike" || a.format == "ncf") {
    if (protocol.empty()) protocol = "given";
    if (protocol != "given") return Fail("formats citeulike and ncf only support --protocol given");
    if (a.test.empty()) return Fail("--test is required for format " + a.format);
    auto d = a.format == "citeulike" ? eval::ReadCiteULike(a.data, a.test)
                                     : eval::ReadNcf(a.data, a.test, a.negatives);
    if (!d.ok()) return Fail(std::string(d.status().message()));
    if (!a.keep_values) {
      for (auto& x : d->train.interactions) x.value = 1.0f;
    }
    split = eval::MakeGivenSplit(*d);
    spec.kind = eval::ProtocolKind::kRandomHoldout;  // for the validation split only
  } else {
    absl::StatusOr<eval::Dataset> d;
    if (a.format == "movielens" || a.format == "plain") {
      d = eval::ReadDelimited(a.data, {});
    } else if (a.format == "amazon") {
      d = eval::ReadAmazonJson(a.data);
    } else {
      return Fail("unknown --format " + a.format);
    }
    if (!d.ok()) return Fail(std::string(d.status().message()));
    eval::FilterAndBinarize(*d, a.min_value, !a.keep_values);
    eval::MergeDuplicates(*d);
    if (protocol.empty()) protocol = "holdout";
    auto p = eval::ParseProtocol(protocol, a.num_negatives);
    if (!p.ok()) return Fail(std::string(p.status().message()));
    spec = *p;
    spec.holdout_fraction = a.holdout_fraction;
    spec.heldout_users_fraction = a.heldout_users;
    split = eval::MakeSplit(*d, spec, rng);
  }

  eval::EvalOptions options;
  options.num_threads = a.threads;
  options.seed = a.seed;
  options.tie_break = a.tie_break == "index" ? eval::TieBreak::kIndex : eval::TieBreak::kRandom;
  options.keep_seen = a.keep_seen;
  const char* seen_items = a.keep_seen ? "kept" : "excluded";
  for (absl::string_view k : absl::StrSplit(a.cutoffs, ',', absl::SkipEmpty())) {
    try {
      options.cutoffs.push_back(std::stoi(std::string(k)));
    } catch (const std::exception&) {
      return Fail("bad --cutoffs");
    }
  }
  options.cutoffs.erase(options.cutoffs.begin());  // drop the default
  const bool strong = protocol == "strong";
  std::string recall = a.recall.empty() ? (strong ? "min" : "relevant") : a.recall;
  options.recall_kind = recall == "min" ? eval::RecallKind::kOverMinKRelevant : eval::RecallKind::kOverRelevant;
  std::vector<std::string> shown;
  std::string metric_list = a.metrics;
  if (metric_list.empty()) {
    metric_list = absl::StartsWith(protocol, "loo") ? "HR,NDCG"
                  : strong                          ? "Recall,NDCG"
                  : protocol == "given"             ? "Recall,NDCG"
                                                    : "Recall,Precision,NDCG,MAP,MRR,Coverage";
  }
  for (absl::string_view m : absl::StrSplit(metric_list, ',', absl::SkipEmpty())) shown.emplace_back(m);

  auto all_params = recsys::ParseParams(a.params);
  if (!all_params.ok()) return Fail(std::string(all_params.status().message()));

  auto all_spaces = recsys::ParseParams(a.space);
  if (!all_spaces.ok()) return Fail("--space: " + std::string(all_spaces.status().message()));

  std::optional<eval::EvalSplit> validation;
  if (!a.search.empty() || a.validation_only) {
    Random vrng(a.seed + 1);
    validation = eval::MakeValidationSplit(split, spec, vrng);
  }
  if (a.validation_only) {
    split = *validation;  // report on the validation cases; the test cases are dropped unseen
    protocol = "validation (" + protocol + ")";
  }

  const recsys::InteractionMatrix train = split.train.ToMatrix();
  boost::json::array results;
  std::vector<std::pair<std::string, eval::MetricList>> rows;
  std::vector<double> fit_seconds;
  for (absl::string_view name_view : absl::StrSplit(a.models, ',', absl::SkipEmpty())) {
    const std::string name(name_view);
    auto model = recsys::CreateModel(name);
    if (!model.ok()) return Fail(std::string(model.status().message()));
    boost::json::object params;
    if (const auto* p = all_params->if_contains(name); p != nullptr && p->is_object()) params = p->get_object();
    if (name != "popularity" && name != "ease" && !params.contains("num_threads")) {
      params["num_threads"] = a.threads;
    }
    if (name == "ials" && !params.contains("seed")) params["seed"] = a.seed;
    boost::json::object search_json;
    eval::SearchSpace space;
    if (const auto* p = all_spaces->if_contains(name); p != nullptr) {
      if (!p->is_object()) return Fail("--space: \"" + name + "\" must be an object");
      auto parsed = eval::ParseSearchSpace(p->get_object());
      if (!parsed.ok()) return Fail(std::string(parsed.status().message()));
      space = *parsed;
    }
    if (!a.search.empty() && (!space.empty() || !eval::DefaultSearchSpace(name).empty())) {
      eval::SearchOptions so;
      so.space = space;
      so.mode = a.search;
      so.trials = a.trials;
      so.target = a.target.empty() ? shown.front() + "@" + std::to_string(options.cutoffs.front()) : a.target;
      Random srng(a.seed + 2);
      auto r = eval::Search(name, params, *validation, options, so, srng);
      if (!r.ok()) return Fail(name + ": " + std::string(r.status().message()));
      params = r->best_params;
      search_json = {{"mode", so.mode}, {"target", so.target}, {"best_validation", r->best_value},
                     {"trials", r->trials.size()}};
      if (!a.json) {
        for (const eval::Trial& t : r->trials) {
          std::printf("trial %s %s = %.4f\n", boost::json::serialize(t.params).c_str(), so.target.c_str(),
                      t.value);
        }
        std::printf("search %s: best validation %s = %.4f with %s (%zu trials)\n", name.c_str(),
                    so.target.c_str(), r->best_value, JsonText(params).c_str(),
                    r->trials.size());
      }
    }
    const absl::Time start = Clock::Real().Now();
    if (absl::Status s = (*model)->Fit(train, params); !s.ok()) {
      return Fail(name + ": " + std::string(s.message()));
    }
    const double secs = absl::ToDoubleSeconds(Clock::Real().Now() - start);
    auto metrics = eval::Evaluate(**model, split, options);
    if (!metrics.ok()) return Fail(name + ": " + std::string(metrics.status().message()));
    boost::json::object m;
    for (const auto& [k, v] : *metrics) m[k] = v;
    boost::json::object entry = {{"model", name}, {"params", (*model)->Params()},
                                 {"fit_seconds", secs}, {"metrics", m}};
    if (!search_json.empty()) entry["search"] = search_json;
    results.push_back(entry);
    rows.emplace_back(name, *metrics);
    fit_seconds.push_back(secs);
  }

  if (a.json) {
    boost::json::object out = {{"format", a.format},    {"data", a.data},
                               {"protocol", protocol},  {"seed", a.seed},
                               {"recall", recall == "min" ? "hits/min(k,|test|)" : "hits/|test|"},
                               {"tie_break", a.tie_break}, {"seen_items", seen_items},
                               {"train_interactions", split.train.interactions.size()},
                               {"users", split.cases.size()}, {"results", results}};
    std::cout << JsonText(out) << "\n";
    return 0;
  }
  std::printf("protocol %s, %zu evaluated users, %zu training interactions, seen items %s, seed %llu\n",
              protocol.c_str(), split.cases.size(), split.train.interactions.size(), seen_items,
              static_cast<unsigned long long>(a.seed));
  std::printf("%-12s %8s", "model", "fit_s");
  for (int k : options.cutoffs) {
    for (const auto& m : shown) std::printf(" %12s", (m + "@" + std::to_string(k)).c_str());
  }
  std::printf("\n");
  for (size_t r = 0; r < rows.size(); ++r) {
    std::printf("%-12s %8.2f", rows[r].first.c_str(), fit_seconds[r]);
    for (int k : options.cutoffs) {
      for (const auto& m : shown) {
        auto v = eval::FindMetric(rows[r].second, m + "@" + std::to_string(k));
        std::printf(" %12.4f", v.ok() ? *v : 0.0 / 0.0);
      }
    }
    std::printf("\n");
  }
  return 0;
}

void AddEval(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand("eval", "Offline evaluation of recommendation models");
  cmd->add_option("--format", args->format, "movielens | plain | amazon | citeulike | ncf")
      ->capture_default_str();
  cmd->add_option("--data", args->data, "Data file (the training file for citeulike/ncf)")->required();
  cmd->add_option("--test", args->test, "Test file (citeulike, ncf)");
  cmd->add_option("--negatives", args->negatives, "NCF *.test.negative file");
  cmd->add_option("--protocol", args->protocol,
                  "loo | loo-all | holdout | temporal | strong | given (default: given for split "
                  "formats, holdout otherwise)");
  cmd->add_option("--num-negatives", args->num_negatives, "Sampled negatives for loo")->capture_default_str();
  cmd->add_option("--holdout-fraction", args->holdout_fraction, "Share of each user's items held out")
      ->capture_default_str();
  cmd->add_option("--heldout-users", args->heldout_users, "Share of users held out (strong)")
      ->capture_default_str();
  cmd->add_option("--min-value", args->min_value, "Keep interactions with value >= this (e.g. rating 4)");
  cmd->add_flag("--keep-values", args->keep_values,
                "Use values (ratings, play counts) as weights instead of 1 per interaction");
  cmd->add_flag("--keep-seen", args->keep_seen,
                "Rank each user's training items too (default: removed from every ranking, given "
                "candidate lists included)");
  cmd->add_option("--models", args->models, "Comma-separated models")->capture_default_str();
  cmd->add_option("--params", args->params, "JSON: {\"model\": {param: value}}");
  cmd->add_option("--cutoffs", args->cutoffs, "Comma-separated k")->capture_default_str();
  cmd->add_option("--metrics", args->metrics, "Metric names to print (Recall,Precision,NDCG,MAP,MRR,HR,Coverage)");
  cmd->add_option("--recall", args->recall, "relevant: hits/|test|; min: hits/min(k,|test|)");
  cmd->add_option("--tie-break", args->tie_break, "random (seeded) | index")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed for splits, sampling, ties, model init")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the metrics as JSON on stdout");
  cmd->add_option("--search", args->search, "grid | random: tune each model on a validation split");
  cmd->add_option("--trials", args->trials, "Trials for --search random")->capture_default_str();
  cmd->add_option("--target", args->target,
                  "Metric the search maximises, or a comma-separated list whose mean it maximises "
                  "(default: first shown @ first k)");
  cmd->add_option("--space", args->space,
                  "JSON {\"model\": {param: [values]}}: the values --search tries (default: built-in grid)");
  cmd->add_flag("--validation-only", args->validation_only,
                "Carve the validation split from the training data and report on it; test is never scored");
  cmd->callback([args] { SetExitCode(RunEval(*args)); });
}

TAILOR_REGISTER_COMMAND(AddEval);

}  // namespace
}  // namespace tailor::app
