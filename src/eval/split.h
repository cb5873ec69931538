// Splits for offline evaluation. A split is a training Dataset plus a list of
// evaluation cases; each case says what the model sees (history), what it is
// judged on (relevant items) and, for sampled protocols, which items compete.
// All splitters are deterministic given the Random they are passed.
//
//   tailor::Random rng(42);
//   tailor::eval::EvalSplit s = tailor::eval::MakeSplit(data, {.kind = ProtocolKind::kLeaveLastOut,
//                                                             .num_negatives = 99}, rng);
//
// Invariants (tested): a case's relevant items never appear in its history
// nor in the training data of that user; weak-generalization cases (user >= 0)
// have history == their training row; strong-generalization users (user ==
// -1) have no training data at all.
#ifndef TAILOR_EVAL_SPLIT_H_
#define TAILOR_EVAL_SPLIT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "eval/dataset.h"
#include "eval/readers.h"
#include "models/recsys/interaction_matrix.h"

namespace tailor::eval {

struct EvalCase {
  int32_t user = -1;                // training row, or -1 for a user unseen in training
  recsys::History history;          // given to the model, excluded from the ranking
  std::vector<int32_t> relevant;    // held-out items, sorted and unique
  std::vector<int32_t> candidates;  // non-empty: rank only these (sampled protocol)
};

struct EvalSplit {
  Dataset train;
  std::vector<EvalCase> cases;
};

enum class ProtocolKind {
  // Per user (>= 2 interactions) the latest interaction (ties: later line) is
  // held out; ranked among `num_negatives` sampled never-seen items, or among
  // all items when num_negatives == 0.
  kLeaveLastOut,
  // Per user (>= 2 interactions) a random `holdout_fraction` (at least 1, at
  // most n - 1) is held out.
  kRandomHoldout,
  // Same, but the latest interactions are held out.
  kTemporalHoldout,
  // A random `heldout_users_fraction` of users is removed from training; each
  // of them (>= 2 interactions) reveals a random 1 - holdout_fraction of
  // their interactions as history and is judged on the rest.
  kStrongGeneralization,
};

struct ProtocolSpec {
  ProtocolKind kind = ProtocolKind::kRandomHoldout;
  int num_negatives = 0;
  double holdout_fraction = 0.2;
  double heldout_users_fraction = 0.1;
};

// Parses "loo", "loo-all" (num_negatives 0), "holdout", "temporal", "strong".
absl::StatusOr<ProtocolSpec> ParseProtocol(const std::string& name, int num_negatives);

EvalSplit MakeSplit(const Dataset& data, const ProtocolSpec& spec, Random& rng);

// A validation split for tuning, carved from `split.train` alone with `spec`
// (e.g. a random 20 % of each user's training interactions held out): its
// training data is a subset of split.train and its relevant items are
// training interactions, so nothing of split.cases (the test) is seen.
EvalSplit MakeValidationSplit(const EvalSplit& split, const ProtocolSpec& spec, Random& rng);

// The split as given by the files: every user with test items is a case; if
// the data has negatives for that user they (plus the test items) are the
// candidates.
EvalSplit MakeGivenSplit(const SplitData& data);

}  // namespace tailor::eval

#endif  // TAILOR_EVAL_SPLIT_H_
