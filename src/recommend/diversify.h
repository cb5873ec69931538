// Diversity re-ranking by maximal marginal relevance, and the item
// similarities it uses.
//
//   pool = Diversify(pool, 10, 0.5, [&](int32_t a, int32_t b) { return ...; });
//
// Thread-safe: pure functions of their arguments.
#ifndef TAILOR_RECOMMEND_DIVERSIFY_H_
#define TAILOR_RECOMMEND_DIVERSIFY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/recsys/item_knn_model.h"
#include "serving/model_registry.h"
#include "serving/tenant_state.h"

namespace tailor::recommend {
// The served item-kNN model's similarity matrix, null when there is none.
const recsys::SimilarityMatrix* KnnMatrix(const serving::ModelSet& set);
// w(row, col), 0 outside the matrix or where it stores nothing.
float Coeff(const recsys::SimilarityMatrix& w, int32_t row, int32_t col);
// Jaccard similarity of the items' categories (0 when either has none).
float CategoryOverlap(const serving::ItemInfo& a, const serving::ItemInfo& b);

// Greedy maximal marginal relevance over `pool` (sorted by decreasing
// score): the k items maximising (1 - diversity) * relevance - diversity *
// the largest similarity to an item already chosen, relevance being the
// score rescaled to [0, 1] over the pool.
std::vector<serving::ScoredIndex> Diversify(const std::vector<serving::ScoredIndex>& pool,
                                            size_t k, double diversity,
                                            const std::function<float(int32_t, int32_t)>& sim);

}  // namespace tailor::recommend

#endif  // TAILOR_RECOMMEND_DIVERSIFY_H_
