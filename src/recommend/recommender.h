// Recommender: answers "what to show" for one tenant from its serving state
// and current model set — candidates, scores, filters, diversity and
// explanations — without touching the store.
//
//   Recommender rec(*runtime, clock);
//   absl::StatusOr<Recommendation> r = rec.Recommend({.user_id = "u1", .n = 10, .explain = true});
//   // r->model == "ease" for a rich history, "itemknn" for a short one,
//   // "content" for a history of only new items, "trending" for a user with
//   // no history; r->items[k].strategy says the same per item.
//
// Model choice: no positive history -> none; fewer than `short_history`
// liked items -> item-kNN; otherwise the registry's best model (highest
// offline NDCG@10). Each falls back to the next simpler one when the model is
// not trained yet or was trained on too little data to be served
// (ModelRecord::insufficient_data, see serving/served_model.h): then no model scores and
// the chain below starts at content similarity. A request may name a trained
// model instead. Every item is then scored by the first strategy of the chain
// model -> content similarity to the user's recent items -> trending ->
// all-time popularity that has evidence for it (candidate_scoring.h): an item
// the model scores 0, e.g. everything when the history holds only items the
// model has not seen, is scored by content instead, never presented as
// collaborative. Each answered item names its strategy; items with no
// evidence at all are not answered (the list may be shorter than n).
// Equal scores are ordered by item id (never by internal index), so an
// answer does not depend on the order items arrived in.
// Filters: unavailable, expired or deleted items never appear; items the user
// consumed (or disliked/dismissed) are left out unless include_seen (disliked
// and dismissed ones always); `category` keeps only that category; `exclude`
// drops listed ids. Diversity d in (0, 1] re-ranks by maximal marginal
// relevance, lambda = 1 - d, with item-kNN similarity (shared categories when
// no item-kNN model is served).
// Thread-safe: const methods on shared immutable snapshots.
#ifndef TAILOR_RECOMMEND_RECOMMENDER_H_
#define TAILOR_RECOMMEND_RECOMMENDER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "serving/engine.h"

namespace tailor::recommend {

struct RecommendRequest {
  std::string user_id;
  int n = 10;
  int offset = 0;
  std::string category;
  std::vector<std::string> exclude;
  bool include_seen = false;
  bool explain = false;
  double diversity = 0.0;
  // A trained model to score with instead of the chain's choice; empty =
  // the chain's.
  std::string model;
};

struct Reason {
  std::string type;     // see explanations.h
  std::string item_id;  // the evidence item, when there is one
  std::string text;     // a sentence for people
};

struct RecommendedItem {
  std::string item_id;
  // The strategy's own score: comparable between items of one strategy
  // only; the list's order is the answer's order.
  float score = 0.0f;
  // What scored the item: a model's name (ease, itemknn, ...), content,
  // trending, popularity; Rank adds disliked, none and unknown.
  std::string strategy;
  bool known = true;            // Rank: false for an id the tenant does not have
  std::vector<Reason> reasons;  // filled when explain
};

struct Recommendation {
  std::string decision_id;
  // The strategy of the leading item (a model's name, content, trending,
  // popularity; "none" for an empty list).
  std::string model;
  int64_t model_version = 0;  // that model's version; 0 when it is not a trained model
  std::vector<RecommendedItem> items;
};

struct RecommenderOptions {
  int short_history = 5;
  double cold_blend = 0.5;  // cold item score = blend * content cosine * top model score
  absl::Duration trending_window = absl::Hours(24 * 7);
  // Makes decision ids; the default draws 128 random bits.
  std::function<std::string()> new_decision_id;
};

class Recommender {
 public:
  Recommender(serving::TenantRuntime& tenant, Clock& clock, RecommenderOptions options = {});

  // Requires 1 <= n <= 500, 0 <= offset <= 10000, 0 <= diversity <= 1 and
  // `model` empty or the name of a trained model (InvalidArgument naming the
  // field otherwise).
  absl::StatusOr<Recommendation> Recommend(const RecommendRequest& request) const;
  // Items like `item_id`: item-kNN neighbours, then content neighbours (all
  // of them for a cold item, or while no item-kNN model is served).
  // NotFound for an item the tenant does not have.
  absl::StatusOr<Recommendation> Similar(const std::string& item_id, int n,
                                         const std::string& category, bool explain) const;
  absl::StatusOr<Recommendation> Trending(int n, const std::string& category,
                                          absl::Duration window, bool explain) const;
  // `candidates` in the order the user should see them, each scored by the
  // recommendation chain (strategy: the model, content, trending, popularity;
  // "none" for an item with no evidence, ranked after those that have);
  // items the user disliked or dismissed come after every other known item
  // (strategy "disliked"); ids the tenant does not have come last, in the
  // given order, with known = false, strategy "unknown" and score 0. Items
  // the user already engaged with carry an extra "seen" reason. Requires
  // 1..1000 candidates; `model` as in RecommendRequest.
  absl::StatusOr<Recommendation> Rank(const std::string& user_id,
                                      const std::vector<std::string>& candidates, bool explain,
                                      const std::string& model = "") const;

 private:
  // The model the fallback chain picks for this history; null when no model
  // is to score (the chain then starts at content similarity).
  const serving::ServingModel* ChooseModel(const serving::UserHistory& history,
                                           const serving::ModelSet& set) const;
  // `requested` when named (InvalidArgument naming `model` when the set has
  // no such model), else ChooseModel().
  absl::StatusOr<const serving::ServingModel*> PickModel(const std::string& requested,
                                                         const serving::UserHistory& history,
                                                         const serving::ModelSet& set) const;
  // Candidates from the model's ANN index (best first, unblocked); nullopt
  // when the model has none.
  std::optional<std::vector<serving::ScoredIndex>> AnnCandidates(
      const serving::ServingModel& model, const serving::UserHistory& history,
      const std::vector<uint8_t>& blocked, size_t blocked_count, size_t wanted) const;
  std::string NewDecisionId() const;

  serving::TenantRuntime& tenant_;
  Clock& clock_;
  RecommenderOptions options_;
};

// Parses "<N>h" or "<N>d" (1 hour to 90 days). InvalidArgument otherwise.
absl::StatusOr<absl::Duration> ParseWindow(std::string_view text);

}  // namespace tailor::recommend

#endif  // TAILOR_RECOMMEND_RECOMMENDER_H_
