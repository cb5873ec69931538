// The quality gate: whether a decision is sent as chosen, sent as an
// exploration of a new variant, or replaced by the tenant's safe default.
//
// The model-confidence part of the quality score (quality_score.h) is 0 for
// a variant the bandit has never seen, so a gate on the score alone would
// never let a new variant collect the evidence that raises it. Exploration
// breaks that lock: when the chosen variant has fewer than
// `exploration_sends` sends and the score without its model part (data and
// render confidence only) clears the threshold, the decision is sent anyway
// with probability `exploration_share`. Render and data problems are never
// explored past.
//
// The safe default is a marketing message, so transactional decisions
// (receipts, password resets) are never swapped for it: below the threshold
// they are sent as chosen and the answer says so.
//
//   GateVerdict v = ApplyQualityGate(in, rng);
//   if (v.kind == GateVerdict::kFallback) { /* send the safe default */ }
#ifndef TAILOR_MODELS_DECIDE_QUALITY_GATE_H_
#define TAILOR_MODELS_DECIDE_QUALITY_GATE_H_

#include <cstdint>
#include <string>

#include "common/random.h"
#include "models/decide/frequency_cap.h"
#include "models/decide/quality_score.h"

namespace tailor::decide {

struct ExplorationPolicy {
  double share = 0.1;         // of the gated decisions of a new variant, in [0, 1]
  int64_t new_below_sends = 20;  // a variant with fewer sends is new
};

struct GateInputs {
  MessageCategory category = MessageCategory::kMarketing;
  QualityInputs components;
  QualityWeights weights;
  double threshold = 0;
  int64_t variant_sends = 0;  // sends of the chosen variant so far
  ExplorationPolicy exploration;
};

struct GateVerdict {
  enum Kind {
    kPass,            // quality at or above the threshold
    kExplore,         // below it, sent to learn about a new variant
    kTransactional,   // below it, sent: transactional is never replaced
    kFallback,        // below it: use the safe default
  };
  Kind kind = kPass;
  double quality = 0;
  std::string reason;  // empty for kPass
};

// Draws from `rng` only for a gated decision of a new variant whose data and
// render confidence clear the threshold.
GateVerdict ApplyQualityGate(const GateInputs& in, Random& rng);

}  // namespace tailor::decide

#endif  // TAILOR_MODELS_DECIDE_QUALITY_GATE_H_
