// Candidate scoring: every catalogue item's score for one user along the
// fallback chain model -> content similarity -> trending -> popularity, with
// the strategy that produced each score.
//
//   CandidateScores c = ScoreCandidates(state, *set, model, history, options);
//   // c.strategy[j] == Strategy::kContent: c.score[j] is a content score.
//
// Each item takes the first strategy that has evidence for it:
//   model       the chosen model scores it above 0 (a score of 0 or less says
//               nothing in its favour, e.g. every item when the history holds
//               only items the model has not seen);
//   content     for items the model scores exactly 0 (or has not seen), the
//               TF-IDF cosine to the user's 10 latest items above 0 (not for
//               those items themselves: an item is not evidence for itself);
//   trending    time-decayed interaction weight within the trending window;
//   popularity  all-time interaction weight above 0.
// An item with none of these has Strategy::kNone and no score: it is not a
// candidate. Ranking keys order the tiers: model and content scores are
// positive and interleave (content = cold_blend * cosine * the best model
// score, or the cosine alone when the model has no evidence at all), trending
// keys lie in (-2, -1) and popularity keys in (-3, -2].
// Thread-safe: reads immutable snapshots and TenantState's own locking.
#ifndef TAILOR_RECOMMEND_CANDIDATE_SCORING_H_
#define TAILOR_RECOMMEND_CANDIDATE_SCORING_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "serving/model_registry.h"
#include "serving/tenant_state.h"

namespace tailor::recommend {

enum class Strategy : uint8_t { kNone, kModel, kContent, kTrending, kPopularity };

// The key of an item that is not a candidate.
inline constexpr float kNoScore = -std::numeric_limits<float>::infinity();

struct CandidateScores {
  std::string model;    // the chosen model's name; empty when there is none
  int64_t version = 0;  // its version
  std::vector<float> key;            // by item index: ranking key, kNoScore = not a candidate
  std::vector<float> score;          // by item index: the strategy's own score (shown)
  std::vector<Strategy> strategy;    // by item index
};

struct ScoringOptions {
  double cold_blend = 0.5;
  absl::Duration trending_window = absl::Hours(24 * 7);
  absl::Time now;
};

// `model` is the chain's chosen model, null when there is none.
CandidateScores ScoreCandidates(const serving::TenantState& state, const serving::ModelSet& set,
                                const serving::ServingModel* model,
                                const serving::UserHistory& history, const ScoringOptions& options);

// The name of a strategy in answers: the model's name for kModel, else
// "content", "trending", "popularity" or "none".
std::string StrategyName(Strategy strategy, const std::string& model);

}  // namespace tailor::recommend

#endif  // TAILOR_RECOMMEND_CANDIDATE_SCORING_H_
