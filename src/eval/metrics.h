// Ranking metrics for one evaluation case, as computed by the common published
// evaluation code. `ranked` is the model's list best first (already without
// the user's history), `relevant` the held-out items (sorted, unique), k the
// cutoff; rel_r = 1 if the item at rank r (1-based) is relevant.
//
//   hits@k      = sum_{r<=k} rel_r
//   Recall@k    = hits@k / |relevant|                (RecallKind::kOverRelevant, the default:
//                 Dacrema et al. / the CiteULike README, NCF's HR with one item)
//               = hits@k / min(k, |relevant|)        (RecallKind::kOverMinKRelevant: Liang et
//                 al. 2018 VAE-CF code, used for strong generalization)
//   Precision@k = hits@k / k
//   NDCG@k      = sum_{r<=k} rel_r / log2(r+1)  /  sum_{r<=min(k,|relevant|)} 1 / log2(r+1)
//   MAP@k       = sum_{r<=k} rel_r * hits@r / r  /  min(k, |relevant|)
//   MRR@k       = 1 / (rank of the first relevant item) if it is within k, else 0
//   HR@k        = 1 if hits@k > 0 else 0
// Cases are averaged with equal weight. Coverage@k (catalogue coverage) = the
// number of distinct items in any case's top k / number of items.
//
//   RankingMetrics m = ComputeAtK(ranked, relevant, 10, RecallKind::kOverRelevant);
#ifndef TAILOR_EVAL_METRICS_H_
#define TAILOR_EVAL_METRICS_H_

#include <cstdint>
#include <span>
#include <vector>

namespace tailor::eval {

enum class RecallKind { kOverRelevant, kOverMinKRelevant };

struct RankingMetrics {
  double recall = 0, precision = 0, ndcg = 0, map = 0, mrr = 0, hr = 0;
};

// Requires k >= 1 and `relevant` sorted; an empty `relevant` gives all zeros.
RankingMetrics ComputeAtK(std::span<const int32_t> ranked, const std::vector<int32_t>& relevant, int k,
                          RecallKind recall_kind);

}  // namespace tailor::eval

#endif  // TAILOR_EVAL_METRICS_H_
