// Evaluator: runs a fitted model over an EvalSplit and averages the ranking
// metrics of metrics.h at every cutoff. Deterministic: results do not depend
// on the thread count (per-case values are summed in case order).
//
// Ranking rule: scores over all items (or over the case's candidates), the
// case's history items removed, sorted by decreasing score; NaN ranks last.
// History items are removed in every protocol, from given candidate lists
// too, as published evaluators of sampled-negative protocols do (a fixed
// negative that is a training item of the user would otherwise compete with
// the held-out item, and models that score seen items high lose hits);
// EvalOptions::keep_seen keeps them.
// Equal scores are ordered by a seeded pseudo-random key per (case, item)
// (TieBreak::kRandom, the default), or smaller item index first
// (TieBreak::kIndex). Ties matter: on CiteULike-a most items score exactly 0
// for a user, and index order there is systematically pessimistic by ~0.001
// Recall@100 against the published numbers, whose code orders ties arbitrarily.
//
//   EvalOptions o;  o.cutoffs = {10, 20};
//   absl::StatusOr<MetricList> m = Evaluate(*model, split, o);  // {"Recall@10", 0.21}, ...
#ifndef TAILOR_EVAL_EVALUATOR_H_
#define TAILOR_EVAL_EVALUATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "eval/metrics.h"
#include "eval/split.h"
#include "models/recsys/model.h"

namespace tailor::eval {

enum class TieBreak { kRandom, kIndex };

struct EvalOptions {
  std::vector<int> cutoffs = {10};
  TieBreak tie_break = TieBreak::kRandom;
  uint64_t seed = 42;  // for TieBreak::kRandom
  RecallKind recall_kind = RecallKind::kOverRelevant;
  int num_threads = 2;
  // Rank the case's history (seen) items too instead of removing them.
  bool keep_seen = false;
};

// (name, value) in a stable order: for each cutoff k, Recall@k Precision@k
// NDCG@k MAP@k MRR@k HR@k Coverage@k; then "users" (number of cases).
using MetricList = std::vector<std::pair<std::string, double>>;

// FailedPrecondition if the model is unfitted or its item count differs from
// the split's; InvalidArgument for a cutoff < 1.
absl::StatusOr<MetricList> Evaluate(const recsys::Model& model, const EvalSplit& split,
                                    const EvalOptions& options);

// The top `k` items of `scores`, restricted to `candidates` when non-empty,
// never any item of `exclude`. Ranking rule as above; `tie_salt` set selects
// the random tie order it seeds, unset the index order.
std::vector<int32_t> RankTopK(const Eigen::VectorXf& scores, const recsys::History& exclude,
                              const std::vector<int32_t>& candidates, int k,
                              std::optional<uint64_t> tie_salt = std::nullopt);

// Value of `name` in `list`, or NotFound.
absl::StatusOr<double> FindMetric(const MetricList& list, const std::string& name);

}  // namespace tailor::eval

#endif  // TAILOR_EVAL_EVALUATOR_H_
