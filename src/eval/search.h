// Hyper-parameter search: grid or random over each model's main
// hyper-parameters, scored on a validation split the caller carves from the
// training data (never on the test cases). Deterministic given the Random.
//
//   SearchOptions o;  o.mode = "random";  o.trials = 20;  o.target = "NDCG@10";
//   absl::StatusOr<SearchResult> r = Search("ials", {}, validation, eval_options, o, rng);
//   model->Fit(full_train, r->best_params);
#ifndef TAILOR_EVAL_SEARCH_H_
#define TAILOR_EVAL_SEARCH_H_

#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "eval/evaluator.h"
#include "eval/split.h"

namespace tailor::eval {

// Parameter name and the values tried; empty for models without
// hyper-parameters (popularity).
using SearchSpace = std::vector<std::pair<std::string, std::vector<boost::json::value>>>;
SearchSpace DefaultSearchSpace(const std::string& model);

struct SearchOptions {
  std::string mode = "grid";  // "grid": every combination; "random": `trials` distinct draws
  int trials = 20;
  // One of Evaluate()'s metric names, or several separated by commas: the
  // objective is then their mean (e.g. "Recall@50,Recall@100,Recall@300").
  std::string target = "NDCG@10";
  // The values tried; empty: DefaultSearchSpace(model).
  SearchSpace space;
};

// The value Search() maximises: `target` (one metric name or a comma-separated
// list, averaged) looked up in `metrics`; NotFound for an unknown name.
absl::StatusOr<double> Objective(const MetricList& metrics, const std::string& target);

// {"param": [v1, v2, ...], ...} -> SearchSpace, in the object's key order.
// InvalidArgument when a value is not a non-empty array.
absl::StatusOr<SearchSpace> ParseSearchSpace(const boost::json::object& space);

struct Trial {
  boost::json::object params;
  double value = 0;
};

struct SearchResult {
  boost::json::object best_params;
  double best_value = 0;
  std::vector<Trial> trials;  // in evaluation order
};

// `base` holds fixed params (e.g. num_threads) overridden by the searched
// ones. The first trial wins ties.
absl::StatusOr<SearchResult> Search(const std::string& model, const boost::json::object& base,
                                    const EvalSplit& validation, const EvalOptions& eval_options,
                                    const SearchOptions& options, Random& rng);

}  // namespace tailor::eval

#endif  // TAILOR_EVAL_SEARCH_H_
