// Explanations: the reasons shown with recommended items, one per strategy,
// each naming only evidence the score really used.
//
//   Reason r = ExplainItem(context, c.strategy[j], j);
//   // {"because_you", "a1", "because you engaged with “Action 1”"}
//
// Reason types: because_you and collaborative (a model), similar_content
// (content similarity), trending, popular (all-time popularity),
// co_engagement (similar items by item-kNN); Rank adds disliked, seen, none
// and unknown.
// Thread-safe: pure functions of their arguments.
#ifndef TAILOR_RECOMMEND_EXPLANATIONS_H_
#define TAILOR_RECOMMEND_EXPLANATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "models/recsys/item_knn_model.h"
#include "models/text/tfidf_index.h"
#include "recommend/candidate_scoring.h"
#include "recommend/recommender.h"
#include "serving/tenant_state.h"

namespace tailor::recommend {

// “Title”, or “id” for an item without a title.
std::string Quote(const serving::ItemInfo& item);

// "trending in <category>" for a list filtered by category, else
// "trending now" (an unfiltered list is not about the item's category).
Reason TrendingReason(const std::string& category);

// What an explanation may consult.
struct ExplainContext {
  const std::vector<serving::ItemInfo>& items;  // the catalogue, by index
  const serving::UserHistory& history;
  const text::TfidfIndex* content = nullptr;                // may be null
  const recsys::SimilarityMatrix* supporters = nullptr;    // W^T of item-kNN; may be null
  std::string category;                                    // the request's filter
};

// The reason for item `item` that `strategy` scored. Requires a strategy
// other than kNone.
Reason ExplainItem(const ExplainContext& context, Strategy strategy, int32_t item);

}  // namespace tailor::recommend

#endif  // TAILOR_RECOMMEND_EXPLANATIONS_H_
